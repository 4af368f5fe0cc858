package dev.herald.core.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** One page of a list ordered by name; {@code next} is the opaque cursor of the following page. */
public record Page<T>(List<T> items, Optional<String> next) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public Page {
    items = List.copyOf(items);
  }

  /** The cursor that resumes after {@code name}. */
  public static String cursorAfter(String name) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(name.getBytes(StandardCharsets.UTF_8));
  }

  /** The name a cursor resumes after; a clear error for a cursor this API did not make. */
  public static String nameAfter(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ConfigException.Invalid("after", "after is not a cursor returned by this API");
    }
  }

  /** Checks a {@code limit} parameter: 1 to {@link #MAX_LIMIT}. */
  public static int limit(Optional<String> text) {
    if (text.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text.get());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException.Invalid(
        "limit",
        "limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + text.get() + "'");
  }
}
