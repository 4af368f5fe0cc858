package dev.herald.analytics.internal;

import dev.herald.analytics.AnalyticsConfig;
import dev.herald.analytics.AnalyticsRow;
import dev.herald.analytics.AnalyticsUnavailableException;
import dev.herald.core.analytics.CountQuery;
import dev.herald.core.analytics.CountSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded analytics database: one DuckDB file, with an explicit memory limit and thread count.
 *
 * <p>No table has an index: DuckDB holds indexes whole in memory, and one over millions of keys
 * outgrows the memory limit. A batch is one transaction on the write connection. Its keys are
 * staged with DuckDB's appender into a temporary table and looked up in {@code
 * analytics_delivery_keys} per span of the batch's ingestion times ({@link Spans}): every
 * redelivery of a key carries its event's ingestion time, and DuckDB skips the row groups whose
 * min/max ingestion time is outside the span, so a lookup reads the few recent row groups whatever
 * the table's size. The keys not found, their rows and their per-minute counts are then appended.
 * The appender writes in the connection's open transaction, so a failed batch leaves nothing
 * behind; this connection is the database's only writer, so no other transaction can store a key
 * between the lookup and the commit.
 *
 * <p>Per-minute counts are appended as they come, several rows per cell (an upsert per batch cost
 * more than the rest of the batch); every {@link #MERGE_EVERY} the cells written since are merged
 * into one row each, in a transaction of its own, and at close. Queries add rows up either way.
 *
 * <p><b>Thread safety.</b> The write connection is used only by the appender thread ({@link
 * #writeBatch}); queries run on {@link DuckDbReaders}, platform threads with connections of their
 * own to the same database, which see committed batches only.
 */
final class DuckDbAnalytics implements AnalyticsDatabase {
  private static final Logger log = LoggerFactory.getLogger(DuckDbAnalytics.class);
  static final int READERS = 2;
  private static final long INGEST_GAP_MICROS = Duration.ofMinutes(1).toNanos() / 1000;
  private static final long MERGE_GAP_MINUTES = 60;

  /** How often the per-minute counts written since the last merge are merged. */
  static final Duration MERGE_EVERY = Duration.ofSeconds(10);

  private final Path file;
  private final DuckDBConnection writer;
  private final SortedSet<Long> unmerged = new TreeSet<>(); // minutes; appender thread only
  private long lastMerge = System.nanoTime(); // appender thread only
  private final DuckDbReaders readers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DuckDbAnalytics(Path file, DuckDBConnection writer, DuckDbReaders readers) {
    this.file = file;
    this.writer = writer;
    this.readers = readers;
  }

  /** Opens (creating when missing) the DuckDB file of {@code config} and migrates its schema. */
  static DuckDbAnalytics open(AnalyticsConfig config) {
    Path file = config.duckdbFile().toAbsolutePath();
    DuckDBConnection writer = null;
    try {
      Files.createDirectories(file.getParent());
      writer =
          (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:" + file, new Properties());
      configure(writer, config);
      DuckDbMigrations.apply(writer);
      createStagingTables(writer);
      writer.setAutoCommit(false);
      return new DuckDbAnalytics(file, writer, DuckDbReaders.open(writer, READERS));
    } catch (SQLException | IOException | RuntimeException e) {
      closeQuietly(writer);
      throw new AnalyticsUnavailableException(
          "cannot open the analytics store " + file + ": " + e, e);
    }
  }

  private static void configure(Connection connection, AnalyticsConfig config) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      // the values are checked by AnalyticsConfig (a size, a number): SET takes no parameters
      statement.execute("SET memory_limit = '" + config.memoryLimit() + "'");
      statement.execute("SET threads = " + config.threads());
      try (ResultSet row =
          statement.executeQuery(
              "SELECT current_setting('memory_limit'), current_setting('threads')")) {
        row.next();
        log.info(
            "DuckDB analytics store: memory_limit {}, threads {}",
            row.getString(1),
            row.getString(2));
      }
    }
  }

  private static void createStagingTables(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TEMP TABLE stage_keys (delivery_key VARCHAR)");
      statement.execute(
          "CREATE TEMP TABLE stage_counts (bus VARCHAR, source VARCHAR, detail_type VARCHAR,"
              + " epoch_minute BIGINT, events BIGINT)");
    }
  }

  @Override
  public String kind() {
    return "duckdb";
  }

  @Override
  public Set<String> writeBatch(List<AnalyticsRow> rows) throws SQLException {
    Set<String> stored;
    try {
      try (Statement statement = writer.createStatement()) {
        // the first statement opens the transaction the appenders then write in
        statement.execute("DELETE FROM stage_keys");
      }
      stored = newKeys(rows);
      List<AnalyticsRow> fresh = AnalyticsSql.withKeys(rows, stored);
      appendKeys(fresh);
      appendEvents(fresh);
      Map<AnalyticsSql.MinuteKey, Long> counts = AnalyticsSql.tally(fresh);
      appendCounts(counts);
      writer.commit();
      counts.keySet().forEach(cell -> unmerged.add(cell.epochMinute()));
    } catch (SQLException | RuntimeException e) {
      rollback(e);
      throw e;
    }
    if (System.nanoTime() - lastMerge > MERGE_EVERY.toNanos()) {
      mergeCounts();
    }
    return stored;
  }

  private Set<String> newKeys(List<AnalyticsRow> rows) throws SQLException {
    try (DuckDBAppender stage = writer.createAppender("temp", "main", "stage_keys")) {
      for (AnalyticsRow row : rows) {
        stage.beginRow().append(row.deliveryKey()).endRow();
      }
    }
    Set<String> fresh = new HashSet<>();
    rows.forEach(row -> fresh.add(row.deliveryKey()));
    try (PreparedStatement lookup =
        writer.prepareStatement(
            "SELECT delivery_key FROM analytics_delivery_keys"
                + " WHERE ingested_at BETWEEN make_timestamp(?) AND make_timestamp(?)"
                + " AND delivery_key IN (SELECT delivery_key FROM stage_keys)")) {
      LongStream times = rows.stream().mapToLong(row -> AnalyticsSql.micros(row.ingestedAt()));
      for (Spans.Span span : Spans.of(times, INGEST_GAP_MICROS)) {
        lookup.setLong(1, span.first());
        lookup.setLong(2, span.last());
        try (ResultSet stored = lookup.executeQuery()) {
          while (stored.next()) {
            fresh.remove(stored.getString(1));
          }
        }
      }
    }
    return fresh;
  }

  private void appendKeys(List<AnalyticsRow> fresh) throws SQLException {
    try (DuckDBAppender keys =
        writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "analytics_delivery_keys")) {
      for (AnalyticsRow row : fresh) {
        keys.beginRow()
            .append(row.deliveryKey())
            .appendEpochMicros(AnalyticsSql.micros(row.ingestedAt()))
            .endRow();
      }
    }
  }

  private void appendEvents(List<AnalyticsRow> fresh) throws SQLException {
    try (DuckDBAppender events =
        writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "analytics_events")) {
      for (AnalyticsRow row : fresh) {
        events
            .beginRow()
            .append(row.deliveryKey())
            .append(row.eventId())
            .append(row.bus())
            .append(row.source())
            .append(row.detailType())
            .appendEpochMicros(AnalyticsSql.micros(row.time()))
            .appendEpochMicros(AnalyticsSql.micros(row.ingestedAt()))
            .appendEpochMicros(AnalyticsSql.micros(row.deliveredAt()))
            .append(row.envelope())
            .endRow();
      }
    }
  }

  private void appendCounts(Map<AnalyticsSql.MinuteKey, Long> counts) throws SQLException {
    try (DuckDBAppender cells =
        writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "analytics_minute_counts")) {
      for (var count : counts.entrySet()) {
        AnalyticsSql.MinuteKey cell = count.getKey();
        cells
            .beginRow()
            .append(cell.bus())
            .append(cell.source())
            .append(cell.detailType())
            .append(cell.epochMinute())
            .append(count.getValue().longValue())
            .endRow();
      }
    }
  }

  /**
   * Merges the rows of each cell written since the last merge into one, per span of their minutes,
   * in one transaction. A failure leaves the rows as they were (the sums are the same) and is tried
   * again at the next merge.
   */
  private void mergeCounts() {
    lastMerge = System.nanoTime();
    if (unmerged.isEmpty()) {
      return;
    }
    LongStream minutes = unmerged.stream().mapToLong(Long::longValue);
    try (Statement statement = writer.createStatement();
        PreparedStatement sum =
            writer.prepareStatement(
                "INSERT INTO stage_counts SELECT bus, source, detail_type, epoch_minute,"
                    + " SUM(events) FROM analytics_minute_counts WHERE epoch_minute BETWEEN ? AND ?"
                    + " GROUP BY bus, source, detail_type, epoch_minute");
        PreparedStatement delete =
            writer.prepareStatement(
                "DELETE FROM analytics_minute_counts WHERE epoch_minute BETWEEN ? AND ?")) {
      statement.execute("DELETE FROM stage_counts");
      for (Spans.Span span : Spans.of(minutes, MERGE_GAP_MINUTES)) {
        for (PreparedStatement step : List.of(sum, delete)) {
          step.setLong(1, span.first());
          step.setLong(2, span.last());
          step.executeUpdate();
        }
      }
      statement.execute("INSERT INTO analytics_minute_counts SELECT * FROM stage_counts");
      writer.commit();
      unmerged.clear();
    } catch (SQLException | RuntimeException e) {
      log.warn("merging the analytics per-minute counts failed (retried later): {}", e.toString());
      rollback(e);
    }
  }

  @Override
  public long purgeBefore(Instant cutoff) throws SQLException {
    long micros = AnalyticsSql.micros(cutoff);
    try (PreparedStatement keys =
            writer.prepareStatement(
                "DELETE FROM analytics_delivery_keys WHERE ingested_at < make_timestamp(?)");
        PreparedStatement events =
            writer.prepareStatement(
                "DELETE FROM analytics_events WHERE ingested_at < make_timestamp(?)")) {
      keys.setLong(1, micros);
      keys.executeUpdate();
      events.setLong(1, micros);
      long deleted = events.executeUpdate();
      writer.commit();
      return deleted;
    } catch (SQLException | RuntimeException e) {
      rollback(e);
      throw e;
    }
  }

  @Override
  public List<CountSeries> counts(CountQuery query) throws SQLException {
    return readers.read(connection -> AnalyticsSql.counts(connection, query));
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      mergeCounts(); // the appender has stopped: this thread is the only writer now
      readers.close();
      closeQuietly(writer);
      log.info("DuckDB analytics store {} closed", file);
    }
  }

  private void rollback(Exception cause) {
    try {
      writer.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.warn("closing a DuckDB connection failed: {}", e.toString());
      }
    }
  }
}
