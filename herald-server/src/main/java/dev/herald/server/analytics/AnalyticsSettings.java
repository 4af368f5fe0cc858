package dev.herald.server.analytics;

import dev.herald.analytics.AnalyticsConfig;
import dev.herald.core.config.TargetSpecs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The analytics store's configuration: DuckDB in the data dir, or the state store's PostgreSQL
 * database when there is one, with DuckDB's limits from the environment ({@code
 * HERALD_ANALYTICS_MEMORY_LIMIT}, default 256MB; {@code HERALD_ANALYTICS_THREADS}, default 1), and
 * how long its raw rows are kept ({@code HERALD_ANALYTICS_RETENTION_DAYS}, default forever).
 * Stateless.
 */
public final class AnalyticsSettings {
  public static final String MEMORY_LIMIT = "HERALD_ANALYTICS_MEMORY_LIMIT";
  public static final String THREADS = "HERALD_ANALYTICS_THREADS";
  public static final String RETENTION_DAYS = "HERALD_ANALYTICS_RETENTION_DAYS";

  /**
   * The shortest retention: a delivery comes back for at most its target's {@code
   * retry.maxEventAgeSeconds} (14 days at most), and its key must still be there to count it once.
   */
  public static final long MIN_RETENTION_DAYS =
      Duration.ofSeconds(TargetSpecs.MAX_EVENT_AGE_SECONDS).toDays() + 1;

  private static final long MAX_RETENTION_DAYS = 36_500;

  private AnalyticsSettings() {}

  /**
   * The analytics store of this Herald: DuckDB in {@code dataDir}, or the PostgreSQL database of
   * {@code storeUrl} when there is one, with the DuckDB settings of {@code env}.
   *
   * @throws IllegalArgumentException naming the variable whose value is not valid
   */
  public static AnalyticsConfig of(
      Path dataDir, Optional<String> storeUrl, Map<String, String> env) {
    String memory = env.getOrDefault(MEMORY_LIMIT, AnalyticsConfig.DEFAULT_MEMORY_LIMIT).strip();
    String threads = env.getOrDefault(THREADS, String.valueOf(AnalyticsConfig.DEFAULT_THREADS));
    try {
      return AnalyticsConfig.of(dataDir, storeUrl)
          .withDuckDb(memory, Integer.parseInt(threads.strip()));
    } catch (IllegalArgumentException e) { // NumberFormatException included
      throw new IllegalArgumentException(
          MEMORY_LIMIT + " or " + THREADS + " is not valid: " + e.getMessage(), e);
    }
  }

  /**
   * How long the raw rows of {@code env} are kept ({@value #RETENTION_DAYS}); empty (unset or
   * blank) keeps them forever.
   *
   * @throws IllegalArgumentException naming the variable when its value is not a number of days
   *     from {@link #MIN_RETENTION_DAYS}
   */
  public static Optional<Duration> retention(Map<String, String> env) {
    String days = env.getOrDefault(RETENTION_DAYS, "").strip();
    if (days.isEmpty()) {
      return Optional.empty();
    }
    long value;
    try {
      value = Long.parseLong(days);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          RETENTION_DAYS + " must be a number of days, got '" + days + "'", e);
    }
    if (value < MIN_RETENTION_DAYS || value > MAX_RETENTION_DAYS) {
      throw new IllegalArgumentException(
          RETENTION_DAYS
              + " must be from "
              + MIN_RETENTION_DAYS
              + " to "
              + MAX_RETENTION_DAYS
              + " days (delivery keys must outlive every redelivery, up to 14 days), got "
              + value);
    }
    return Optional.of(Duration.ofDays(value));
  }
}
