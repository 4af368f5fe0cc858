package dev.herald.analytics.internal;

import dev.herald.analytics.AnalyticsRow;
import dev.herald.core.analytics.CountQuery;
import dev.herald.core.analytics.CountSeries;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One analytics database (DuckDB or PostgreSQL) under the {@link AnalyticsAppender}: writes whole
 * batches, answers count queries.
 *
 * <p>Thread safety: {@link #writeBatch} is called by the appender thread only; {@link #counts} by
 * any thread, concurrently with writes; each implementation states where the work runs.
 */
interface AnalyticsDatabase extends AutoCloseable {

  /** {@code "duckdb"} or {@code "postgresql"}. */
  String kind();

  /**
   * Stores in one transaction the rows whose delivery key is not stored yet, their keys and their
   * per-minute counts; returns those keys. The rows have distinct keys. On failure nothing is
   * stored.
   */
  Set<String> writeBatch(List<AnalyticsRow> rows) throws SQLException;

  /**
   * Deletes the raw rows of the events ingested before {@code cutoff} and the delivery keys that
   * can no longer come back (DuckDB: ingested before it; PostgreSQL: delivered before it, which is
   * later); the per-minute counts stay. Called by the appender thread; returns the rows deleted.
   */
  long purgeBefore(Instant cutoff) throws SQLException;

  /** The counts {@code query} asks for, highest total first. */
  List<CountSeries> counts(CountQuery query) throws SQLException;

  /** Closes every connection; the appender has stopped. Idempotent. */
  @Override
  void close();
}
