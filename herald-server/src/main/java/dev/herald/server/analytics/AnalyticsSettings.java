package dev.herald.server.analytics;

import dev.herald.store.AnalyticsConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The analytics store's configuration: DuckDB in the data dir, or the state store's PostgreSQL
 * database when there is one, with DuckDB's limits from the environment ({@code
 * HERALD_ANALYTICS_MEMORY_LIMIT}, default 256MB; {@code HERALD_ANALYTICS_THREADS}, default 1).
 * Stateless.
 */
public final class AnalyticsSettings {
  public static final String MEMORY_LIMIT = "HERALD_ANALYTICS_MEMORY_LIMIT";
  public static final String THREADS = "HERALD_ANALYTICS_THREADS";

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
}
