package dev.herald.store.internal.db;

import dev.herald.core.config.Page;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keyset paging: a page holds the rows whose key sorts after {@code after}, and the store fetches
 * one row more than the limit to know whether a next page exists. Stateless.
 */
public final class Pages {
  private Pages() {}

  /** Checks a page size: 1 to {@link Page#MAX_LIMIT}. */
  public static int checkLimit(int limit) {
    if (limit < 1 || limit > Page.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be from 1 to " + Page.MAX_LIMIT + ", got " + limit);
    }
    return limit;
  }

  /** The key to start after; {@code ""} (before every name and id) for the first page. */
  public static String start(Optional<String> after) {
    return after.orElse("");
  }

  /**
   * The page of {@code rows} (fetched with {@code limit + 1}): at most {@code limit} items, and the
   * cursor after the last one when more rows followed.
   */
  public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> key) {
    if (rows.size() <= limit) {
      return new Page<>(rows, Optional.empty());
    }
    List<T> items = rows.subList(0, limit);
    return new Page<>(items, Optional.of(Page.cursorAfter(key.apply(items.getLast()))));
  }
}
