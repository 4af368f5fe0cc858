package dev.herald.analytics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the analytics store keeps its data and how much it may use.
 *
 * <ul>
 *   <li>{@code dataDir}: with no {@code url}, the store is the DuckDB file {@code
 *       <dataDir>/analytics.duckdb}.
 *   <li>{@code url}: the PostgreSQL JDBC url of the state store (cluster mode): the analytics
 *       tables ({@code analytics_*}) live in the same database, with their own migrations.
 *   <li>{@code memoryLimit}, {@code threads}: DuckDB's {@code memory_limit} (e.g. {@code 256MB},
 *       {@code 1GB}) and {@code threads}; ignored on PostgreSQL.
 *   <li>{@code maxBatchRows}: the most rows the appender commits in one transaction.
 *   <li>{@code maxLinger}: how long the appender waits for more rows before committing a batch that
 *       is not full. Zero commits what is queued at once: callers block until their row commits, so
 *       rows queue up while a commit runs and batches grow with the load; a linger would cap each
 *       caller at one row per linger.
 *   <li>{@code queueRows}, {@code queueBytes}: the bound of the appender's queue; a caller that
 *       finds it full waits (back-pressure).
 * </ul>
 */
public record AnalyticsConfig(
    Path dataDir,
    Optional<String> url,
    String memoryLimit,
    int threads,
    int maxBatchRows,
    Duration maxLinger,
    int queueRows,
    long queueBytes) {

  /** The DuckDB file name inside {@code dataDir}. */
  public static final String DUCKDB_FILE = "analytics.duckdb";

  public static final String DEFAULT_MEMORY_LIMIT = "256MB";
  public static final int DEFAULT_THREADS = 1;
  public static final int DEFAULT_MAX_BATCH_ROWS = 5_000;
  public static final int DEFAULT_QUEUE_ROWS = 10_000;
  public static final long DEFAULT_QUEUE_BYTES = 64L * 1024 * 1024;

  private static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";
  private static final Pattern MEMORY = Pattern.compile("[0-9]{1,6}(\\.[0-9]{1,3})?\\s?[KMGT]i?B");

  public AnalyticsConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(memoryLimit, "memoryLimit");
    Objects.requireNonNull(maxLinger, "maxLinger");
    url.ifPresent(
        u -> {
          if (!u.startsWith(POSTGRESQL_PREFIX)) {
            throw new IllegalArgumentException(
                "url must be a PostgreSQL JDBC url or empty for DuckDB");
          }
        });
    if (!MEMORY.matcher(memoryLimit).matches()) {
      throw new IllegalArgumentException(
          "memoryLimit must be a size such as 256MB or 1GB, got '" + memoryLimit + "'");
    }
    require("threads", threads, 1, 64);
    require("maxBatchRows", maxBatchRows, 1, 100_000);
    require("queueRows", queueRows, maxBatchRows, 1_000_000);
    if (queueBytes < 1024 * 1024) {
      throw new IllegalArgumentException("queueBytes must be at least 1 MiB, got " + queueBytes);
    }
    if (maxLinger.isNegative() || maxLinger.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException("maxLinger must be 0 to 1 s, got " + maxLinger);
    }
  }

  /** The embedded store {@code <dataDir>/analytics.duckdb} with the defaults. */
  public static AnalyticsConfig duckdb(Path dataDir) {
    return new AnalyticsConfig(
        dataDir,
        Optional.empty(),
        DEFAULT_MEMORY_LIMIT,
        DEFAULT_THREADS,
        DEFAULT_MAX_BATCH_ROWS,
        Duration.ZERO,
        DEFAULT_QUEUE_ROWS,
        DEFAULT_QUEUE_BYTES);
  }

  /** The cluster store: the analytics tables in the state store's PostgreSQL database. */
  public static AnalyticsConfig postgresql(Path dataDir, String url) {
    return duckdb(dataDir).withUrl(Optional.of(url));
  }

  /** DuckDB for an empty {@code url}, else PostgreSQL (as the state store's url decides). */
  public static AnalyticsConfig of(Path dataDir, Optional<String> url) {
    return duckdb(dataDir).withUrl(url);
  }

  public AnalyticsConfig withUrl(Optional<String> newUrl) {
    return new AnalyticsConfig(
        dataDir, newUrl, memoryLimit, threads, maxBatchRows, maxLinger, queueRows, queueBytes);
  }

  /** This configuration with DuckDB's memory limit and threads. */
  public AnalyticsConfig withDuckDb(String newMemoryLimit, int newThreads) {
    return new AnalyticsConfig(
        dataDir, url, newMemoryLimit, newThreads, maxBatchRows, maxLinger, queueRows, queueBytes);
  }

  /** This configuration with another batch size and linger. */
  public AnalyticsConfig withBatching(int newMaxBatchRows, Duration newMaxLinger) {
    return new AnalyticsConfig(
        dataDir,
        url,
        memoryLimit,
        threads,
        newMaxBatchRows,
        newMaxLinger,
        Math.max(queueRows, newMaxBatchRows),
        queueBytes);
  }

  /** The DuckDB file this configuration names (used only when {@link #url()} is empty). */
  public Path duckdbFile() {
    return dataDir.resolve(DUCKDB_FILE);
  }

  @Override
  public String toString() {
    return "AnalyticsConfig["
        + url.map(u -> "postgresql " + withoutQuery(u)).orElse("duckdb " + duckdbFile())
        + ", memoryLimit="
        + memoryLimit
        + ", threads="
        + threads
        + ", maxBatchRows="
        + maxBatchRows
        + ", maxLinger="
        + maxLinger.toMillis()
        + "ms]";
  }

  private static String withoutQuery(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?...";
  }

  private static void require(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be from " + min + " to " + max + ", got " + value);
    }
  }
}
