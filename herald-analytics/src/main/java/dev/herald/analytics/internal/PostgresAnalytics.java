package dev.herald.analytics.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.analytics.AnalyticsRow;
import dev.herald.analytics.AnalyticsUnavailableException;
import dev.herald.core.analytics.CountQuery;
import dev.herald.core.analytics.CountSeries;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics store in cluster mode: tables {@code analytics_*} in the state store's PostgreSQL
 * database, migrated by Flyway with a history of their own ({@code analytics_schema_history}).
 *
 * <p>A batch is one transaction of three statements over arrays ({@code unnest}): insert the keys
 * ({@code ON CONFLICT DO NOTHING RETURNING}: the new ones), insert the new rows, add their
 * per-minute counts. Keys and counts are written in sorted order, so two Herald instances writing
 * overlapping batches wait for each other instead of deadlocking; a key stored by another instance
 * is skipped once that instance commits.
 *
 * <p><b>Thread safety.</b> Any thread may call; each call borrows a pooled connection for its
 * duration (network waits suit virtual threads).
 */
final class PostgresAnalytics implements AnalyticsDatabase {
  private static final Logger log = LoggerFactory.getLogger(PostgresAnalytics.class);
  static final int POOL_SIZE = 3;
  static final long CONNECTION_TIMEOUT_MILLIS = 5_000;
  static final int PURGE_CHUNK = 5_000;

  private static final String INSERT_KEYS =
      "INSERT INTO analytics_delivery_keys (delivery_key, delivered_at)"
          + " SELECT k, TIMESTAMPTZ 'epoch' + d * INTERVAL '1 microsecond'"
          + " FROM unnest(?::text[], ?::bigint[]) AS r(k, d)"
          + " ON CONFLICT DO NOTHING RETURNING delivery_key";
  private static final String INSERT_EVENTS =
      "INSERT INTO analytics_events (delivery_key, event_id, bus, source, detail_type,"
          + " event_time, ingested_at, delivered_at, envelope)"
          + " SELECT k, e, b, s, t, TIMESTAMPTZ 'epoch' + tm * INTERVAL '1 microsecond',"
          + " TIMESTAMPTZ 'epoch' + i * INTERVAL '1 microsecond',"
          + " TIMESTAMPTZ 'epoch' + d * INTERVAL '1 microsecond', j::json"
          + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[],"
          + " ?::bigint[], ?::bigint[], ?::text[]) AS r(k, e, b, s, t, tm, i, d, j)";
  private static final String ADD_COUNTS =
      "INSERT INTO analytics_minute_counts (bus, source, detail_type, epoch_minute, events)"
          + " SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])"
          + " ON CONFLICT (bus, source, detail_type, epoch_minute)"
          + " DO UPDATE SET events = analytics_minute_counts.events + EXCLUDED.events";

  private final HikariDataSource pool;
  private final String safeUrl;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PostgresAnalytics(HikariDataSource pool, String safeUrl) {
    this.pool = pool;
    this.safeUrl = safeUrl;
  }

  /** Connects to {@code url} and migrates the analytics tables. */
  static PostgresAnalytics open(String url) {
    HikariDataSource pool = pool(url);
    try {
      migrate(pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new PostgresAnalytics(pool, withoutQuery(url));
  }

  /**
   * A connection pool of {@link #POOL_SIZE} to {@code url}, connected once.
   *
   * @throws AnalyticsUnavailableException when it cannot connect
   */
  private static HikariDataSource pool(String url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setPoolName("herald-analytics");
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new AnalyticsUnavailableException(
          "cannot connect to the PostgreSQL analytics store at "
              + withoutQuery(url)
              + ": "
              + rootCause(e),
          e);
    }
  }

  private static void migrate(HikariDataSource pool) {
    try {
      Flyway.configure(PostgresAnalytics.class.getClassLoader())
          .dataSource(pool)
          .locations("classpath:db/analytics/postgresql")
          .table("analytics_schema_history")
          // the schema already holds the state store's tables: start this history at 0
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .validateMigrationNaming(true)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new AnalyticsUnavailableException(
          "cannot migrate the PostgreSQL analytics tables: " + e.getMessage(), e);
    }
  }

  @Override
  public String kind() {
    return "postgresql";
  }

  @Override
  public Set<String> writeBatch(List<AnalyticsRow> rows) throws SQLException {
    List<AnalyticsRow> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(AnalyticsRow::deliveryKey));
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Set<String> stored = insertKeys(connection, sorted);
        List<AnalyticsRow> fresh = AnalyticsSql.withKeys(sorted, stored);
        if (!fresh.isEmpty()) {
          insertEvents(connection, fresh);
          addCounts(connection, AnalyticsSql.tally(fresh));
        }
        connection.commit();
        return stored;
      } catch (SQLException | RuntimeException e) {
        rollback(connection, e);
        throw e;
      } // the pool restores auto-commit
    }
  }

  private static Set<String> insertKeys(Connection c, List<AnalyticsRow> rows) throws SQLException {
    Set<String> stored = new HashSet<>();
    try (PreparedStatement statement = c.prepareStatement(INSERT_KEYS)) {
      statement.setArray(1, texts(c, rows, AnalyticsRow::deliveryKey));
      statement.setArray(2, longs(c, rows, r -> AnalyticsSql.micros(r.deliveredAt())));
      try (ResultSet keys = statement.executeQuery()) {
        while (keys.next()) {
          stored.add(keys.getString(1));
        }
      }
    }
    return stored;
  }

  private static void insertEvents(Connection c, List<AnalyticsRow> rows) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(INSERT_EVENTS)) {
      statement.setArray(1, texts(c, rows, AnalyticsRow::deliveryKey));
      statement.setArray(2, texts(c, rows, AnalyticsRow::eventId));
      statement.setArray(3, texts(c, rows, AnalyticsRow::bus));
      statement.setArray(4, texts(c, rows, AnalyticsRow::source));
      statement.setArray(5, texts(c, rows, AnalyticsRow::detailType));
      statement.setArray(6, longs(c, rows, r -> AnalyticsSql.micros(r.time())));
      statement.setArray(7, longs(c, rows, r -> AnalyticsSql.micros(r.ingestedAt())));
      statement.setArray(8, longs(c, rows, r -> AnalyticsSql.micros(r.deliveredAt())));
      statement.setArray(9, texts(c, rows, AnalyticsRow::envelope));
      statement.executeUpdate();
    }
  }

  private static void addCounts(Connection c, Map<AnalyticsSql.MinuteKey, Long> counts)
      throws SQLException {
    List<AnalyticsSql.MinuteKey> keys = List.copyOf(counts.keySet()); // sorted: a TreeMap
    try (PreparedStatement statement = c.prepareStatement(ADD_COUNTS)) {
      statement.setArray(1, texts(c, keys, AnalyticsSql.MinuteKey::bus));
      statement.setArray(2, texts(c, keys, AnalyticsSql.MinuteKey::source));
      statement.setArray(3, texts(c, keys, AnalyticsSql.MinuteKey::detailType));
      statement.setArray(4, longs(c, keys, AnalyticsSql.MinuteKey::epochMinute));
      statement.setArray(5, longs(c, keys, counts::get));
      statement.executeUpdate();
    }
  }

  private static <T> Array texts(Connection c, List<T> items, Function<T, String> field)
      throws SQLException {
    return c.createArrayOf("text", items.stream().map(field).toArray(String[]::new));
  }

  private static <T> Array longs(Connection c, List<T> items, Function<T, Long> field)
      throws SQLException {
    return c.createArrayOf("bigint", items.stream().map(field).toArray(Long[]::new));
  }

  @Override
  public long purgeBefore(Instant cutoff) throws SQLException {
    try (Connection connection = pool.getConnection()) { // auto-commit: a chunk per transaction
      OffsetDateTime before = cutoff.atOffset(ZoneOffset.UTC);
      deleteInChunks(connection, "analytics_delivery_keys", "delivered_at", before);
      return deleteInChunks(connection, "analytics_events", "ingested_at", before);
    }
  }

  /**
   * Deletes {@code table}'s rows whose {@code column} is before {@code cutoff}, a chunk at once.
   */
  private static long deleteInChunks(
      Connection connection, String table, String column, OffsetDateTime cutoff)
      throws SQLException {
    long deleted = 0;
    try (PreparedStatement chunk =
        connection.prepareStatement(
            "DELETE FROM %1$s WHERE ctid = ANY(ARRAY(SELECT ctid FROM %1$s WHERE %2$s < ? LIMIT ?))"
                .formatted(table, column))) {
      int rows;
      do {
        chunk.setObject(1, cutoff);
        chunk.setInt(2, PURGE_CHUNK);
        rows = chunk.executeUpdate();
        deleted += rows;
      } while (rows == PURGE_CHUNK);
    }
    return deleted;
  }

  @Override
  public List<CountSeries> counts(CountQuery query) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      return AnalyticsSql.counts(connection, query);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      pool.close();
      log.info("PostgreSQL analytics store {} closed", safeUrl);
    }
  }

  private static void rollback(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static String rootCause(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null) { // a Throwable that is its own cause answers null
      root = root.getCause();
    }
    return root.toString();
  }

  /** The url without its query string, where credentials usually sit: safe to log. */
  private static String withoutQuery(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?...";
  }
}
