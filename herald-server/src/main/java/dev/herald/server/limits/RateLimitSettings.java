package dev.herald.server.limits;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The rate limits of the environment, each a comma-separated list of a default and overrides by
 * name: {@code HERALD_RATE_LIMIT_PER_KEY=1000,hk_batch=20000} (per API key id) and {@code
 * HERALD_RATE_LIMIT_PER_BUS=5000,orders=20000} (per bus), in events (or requests) per second, where
 * {@code unlimited} lifts the limit for one name; {@code HERALD_RATE_LIMIT_BURST_SECONDS} (1–60,
 * default 1) sizes each bucket as that many seconds of its rate. Unset: no limit. Immutable.
 *
 * @param perKey the limit of every API key without an override; empty: none
 * @param keyOverrides limits by key id ({@link #UNLIMITED} for none)
 * @param perBus the limit of every bus without an override; empty: none
 * @param busOverrides limits by bus name ({@link #UNLIMITED} for none)
 * @param burstSeconds a bucket holds this many seconds of its rate
 */
public record RateLimitSettings(
    OptionalInt perKey,
    Map<String, Integer> keyOverrides,
    OptionalInt perBus,
    Map<String, Integer> busOverrides,
    int burstSeconds) {

  public static final String PER_KEY = "HERALD_RATE_LIMIT_PER_KEY";
  public static final String PER_BUS = "HERALD_RATE_LIMIT_PER_BUS";
  public static final String BURST_SECONDS = "HERALD_RATE_LIMIT_BURST_SECONDS";

  /** An override that lifts the limit for one name. */
  public static final int UNLIMITED = 0;

  static final int MAX_RATE = 10_000_000;

  public RateLimitSettings {
    Objects.requireNonNull(perKey, "perKey");
    Objects.requireNonNull(perBus, "perBus");
    keyOverrides = Map.copyOf(keyOverrides);
    busOverrides = Map.copyOf(busOverrides);
    if (burstSeconds < 1 || burstSeconds > 60) {
      throw new IllegalArgumentException(
          BURST_SECONDS + " must be a whole number from 1 to 60, got " + burstSeconds);
    }
  }

  /** No limits. */
  public static RateLimitSettings none() {
    return new RateLimitSettings(OptionalInt.empty(), Map.of(), OptionalInt.empty(), Map.of(), 1);
  }

  /**
   * @throws IllegalArgumentException naming the variable and the entry that is not valid
   */
  public static RateLimitSettings of(Map<String, String> env) {
    Map<String, Integer> keys = new LinkedHashMap<>();
    Map<String, Integer> buses = new LinkedHashMap<>();
    OptionalInt perKey = parse(PER_KEY, env.getOrDefault(PER_KEY, ""), keys);
    OptionalInt perBus = parse(PER_BUS, env.getOrDefault(PER_BUS, ""), buses);
    String burst = env.getOrDefault(BURST_SECONDS, "").strip();
    int burstSeconds;
    try {
      burstSeconds = burst.isEmpty() ? 1 : Integer.parseInt(burst);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          BURST_SECONDS + " must be a whole number from 1 to 60, got '" + burst + "'", e);
    }
    return new RateLimitSettings(perKey, keys, perBus, buses, burstSeconds);
  }

  /** The limit of key {@code id} in events per second; empty when it has none. */
  public OptionalInt forKey(String id) {
    return limit(keyOverrides.get(id), perKey);
  }

  /** The limit of bus {@code name} in events per second; empty when it has none. */
  public OptionalInt forBus(String name) {
    return limit(busOverrides.get(name), perBus);
  }

  /** Whether any limit is set at all (none: the limiter is skipped). */
  public boolean any() {
    return perKey.isPresent()
        || perBus.isPresent()
        || keyOverrides.values().stream().anyMatch(v -> v != UNLIMITED)
        || busOverrides.values().stream().anyMatch(v -> v != UNLIMITED);
  }

  private static OptionalInt limit(Integer override, OptionalInt fallback) {
    if (override == null) {
      return fallback;
    }
    return override == UNLIMITED ? OptionalInt.empty() : OptionalInt.of(override);
  }

  private static OptionalInt parse(String variable, String text, Map<String, Integer> overrides) {
    OptionalInt fallback = OptionalInt.empty();
    if (text.isBlank()) {
      return fallback;
    }
    for (String raw : text.split(",", -1)) {
      String entry = raw.strip();
      int eq = entry.indexOf('=');
      if (eq < 0) {
        if (fallback.isPresent()) {
          throw bad(variable, entry, "holds two defaults; give one number and name=number pairs");
        }
        int value = rate(variable, entry, false);
        fallback = value == UNLIMITED ? OptionalInt.empty() : OptionalInt.of(value);
      } else {
        String name = entry.substring(0, eq).strip();
        if (name.isEmpty()) {
          throw bad(variable, entry, "has no name before '='");
        }
        if (overrides.put(name, rate(variable, entry.substring(eq + 1).strip(), true)) != null) {
          throw bad(variable, entry, "names '" + name + "' twice");
        }
      }
    }
    return fallback;
  }

  private static int rate(String variable, String text, boolean inOverride) {
    if (text.equals("unlimited")) {
      return UNLIMITED;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= 1 && value <= MAX_RATE) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(
        variable,
        text,
        "is not a rate: expected "
            + (inOverride ? "name=" : "")
            + "a whole number of events per second from 1 to "
            + MAX_RATE
            + " or 'unlimited'");
  }

  private static IllegalArgumentException bad(String variable, String entry, String problem) {
    return new IllegalArgumentException(variable + ": '" + entry + "' " + problem);
  }
}
