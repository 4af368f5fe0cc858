package dev.herald.store.internal.journal;

import dev.herald.store.DeliveryStatus;
import dev.herald.store.JournalEntry;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code journal} table: the latest state of each delivery. On the delivery hot path, so a
 * record call is one statement batch in one write, and a lookup is one query per {@link
 * Sql#IN_CHUNK} keys. Stateless apart from the {@link Database}; thread-safe as it is.
 *
 * <p>Upsert rules, the same in SQL and in {@link #merge} (which folds several entries of one key in
 * a call): a stored {@code delivered} entry keeps everything but takes the higher attempt count;
 * any other stored entry takes the new entry's status, errors, last attempt and delivery time, the
 * higher attempt count and the earlier first attempt.
 */
final class JournalRepository {
  /** Rows deleted per transaction by a purge, so that it never holds the writer for long. */
  static final int PURGE_CHUNK = 5_000;

  private static final String COLUMNS =
      "delivery_key, event_id, bus, rule, target, status, attempts, last_error_code,"
          + " last_error_message, first_attempt_at, last_attempt_at, delivered_at";

  /** Where an entry's ingestion day goes on PostgreSQL (the partition key, see V7). */
  private static final String DAY_COLUMN = ", ingest_day";

  private static final String UPDATES =
      " attempts = CASE WHEN excluded.attempts > journal.attempts"
          + " THEN excluded.attempts ELSE journal.attempts END,"
          + " first_attempt_at = CASE WHEN journal.status <> 'delivered'"
          + " AND (journal.first_attempt_at IS NULL"
          + " OR excluded.first_attempt_at < journal.first_attempt_at)"
          + " THEN excluded.first_attempt_at ELSE journal.first_attempt_at END,"
          + Stream.of(
                  "status",
                  "last_error_code",
                  "last_error_message",
                  "last_attempt_at",
                  "delivered_at")
              .map(
                  c ->
                      " %s = CASE WHEN journal.status = 'delivered' THEN journal.%s ELSE excluded.%s END"
                          .formatted(c, c, c))
              .collect(Collectors.joining(","));

  private static final String PURGE =
      "DELETE FROM %1$s WHERE delivery_key IN (SELECT delivery_key FROM %1$s"
          + " WHERE last_attempt_at < ? OR (last_attempt_at IS NULL AND first_attempt_at < ?)"
          + " LIMIT ?)";

  private final Database db;

  /**
   * True on PostgreSQL, where the table is partitioned by the ingestion day of the event (V7): the
   * day is written with each entry and conflicts are on (delivery key, day), which is as unique as
   * the key alone since the key is a hash over the event id.
   */
  private final boolean partitioned;

  private final String upsertSql;

  JournalRepository(Database db) {
    this.db = db;
    this.partitioned = db.kind().equals("postgresql");
    this.upsertSql =
        partitioned
            ? "INSERT INTO journal ("
                + COLUMNS
                + DAY_COLUMN
                + ") VALUES "
                + Sql.marks(13)
                + " ON CONFLICT (delivery_key, ingest_day) DO UPDATE SET"
                + UPDATES
            : "INSERT INTO journal ("
                + COLUMNS
                + ") VALUES "
                + Sql.marks(12)
                + " ON CONFLICT (delivery_key) DO UPDATE SET"
                + UPDATES;
  }

  /** Upserts the entries by delivery key in one write (several entries of one key folded first). */
  void record(List<JournalEntry> entries) throws SQLException {
    List<JournalEntry> folded = fold(entries);
    db.write(
        c -> {
          recordIn(c, folded);
          return null;
        });
  }

  /** The entries with those of one key folded into one, in the order of their keys' first entry. */
  static List<JournalEntry> fold(List<JournalEntry> entries) {
    Map<String, JournalEntry> folded = new LinkedHashMap<>();
    for (JournalEntry entry : entries) {
      folded.merge(entry.deliveryKey(), entry, JournalRepository::merge);
    }
    return List.copyOf(folded.values());
  }

  /**
   * Upserts {@linkplain #fold folded} entries within the caller's write transaction on {@code c}.
   */
  void recordIn(Connection c, List<JournalEntry> folded) throws SQLException {
    if (folded.isEmpty()) {
      return;
    }
    try (PreparedStatement upsert = c.prepareStatement(upsertSql)) {
      for (JournalEntry entry : folded) {
        bind(upsert, entry);
        if (partitioned) {
          upsert.setObject(13, IngestDays.of(entry.eventId()));
        }
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  /** The stored entries of these keys, by key; keys without an entry are absent. */
  Map<String, JournalEntry> byKeys(Collection<String> keys) throws SQLException {
    List<String> distinct = keys.stream().distinct().toList();
    return db.read(
        c -> {
          Map<String, JournalEntry> found = new HashMap<>();
          for (List<String> chunk : Sql.chunks(distinct)) {
            String sql =
                "SELECT " + COLUMNS + " FROM journal WHERE delivery_key IN " + Sql.marks(chunk);
            for (JournalEntry e :
                Sql.list(c, sql, Sql.strings(chunk, 1), JournalRepository::read)) {
              found.put(e.deliveryKey(), e);
            }
          }
          return found;
        });
  }

  /** The entries of one event, by delivery key (on PostgreSQL, read from its day's partition). */
  List<JournalEntry> ofEvent(String eventId) throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM journal WHERE event_id = ?"
            + (partitioned ? " AND ingest_day = ?" : "")
            + " ORDER BY delivery_key";
    return db.read(
        c ->
            Sql.list(
                c,
                sql,
                s -> {
                  s.setString(1, eventId);
                  if (partitioned) {
                    s.setObject(2, IngestDays.of(eventId));
                  }
                },
                JournalRepository::read));
  }

  /**
   * Deletes entries last attempted before {@code cutoff} (first attempted, when never attempted
   * since), in chunks of {@link #PURGE_CHUNK} rows; entries without any attempt time stay.
   */
  int purgeBefore(Instant cutoff) throws SQLException {
    return purge("journal", cutoff);
  }

  /**
   * As {@link #purgeBefore}, in the DEFAULT partition only (PostgreSQL): the rows of days without a
   * partition of their own, which retention cannot drop whole.
   */
  int purgeDefaultBefore(Instant cutoff) throws SQLException {
    return purge("journal_default", cutoff);
  }

  private int purge(String table, Instant cutoff) throws SQLException {
    long millis = cutoff.toEpochMilli();
    return Sql.deleteInChunks(
        db,
        PURGE.formatted(table),
        PURGE_CHUNK,
        s -> {
          s.setLong(1, millis);
          s.setLong(2, millis);
          s.setInt(3, PURGE_CHUNK);
        });
  }

  /** What storing {@code later} over {@code stored} leaves, as the upsert does it. */
  static JournalEntry merge(JournalEntry stored, JournalEntry later) {
    int attempts = Math.max(stored.attempts(), later.attempts());
    if (stored.isDelivered()) {
      return withAttempts(stored, attempts, stored.firstAttemptAt());
    }
    Optional<Instant> first =
        stored.firstAttemptAt().isEmpty()
                || later
                    .firstAttemptAt()
                    .filter(t -> t.isBefore(stored.firstAttemptAt().get()))
                    .isPresent()
            ? later.firstAttemptAt()
            : stored.firstAttemptAt();
    return new JournalEntry(
        stored.deliveryKey(),
        stored.eventId(),
        stored.bus(),
        stored.rule(),
        stored.target(),
        later.status(),
        attempts,
        later.errorCode(),
        later.errorMessage(),
        first,
        later.lastAttemptAt(),
        later.deliveredAt());
  }

  private static JournalEntry withAttempts(JournalEntry e, int attempts, Optional<Instant> first) {
    return new JournalEntry(
        e.deliveryKey(),
        e.eventId(),
        e.bus(),
        e.rule(),
        e.target(),
        e.status(),
        attempts,
        e.errorCode(),
        e.errorMessage(),
        first,
        e.lastAttemptAt(),
        e.deliveredAt());
  }

  private static void bind(PreparedStatement s, JournalEntry e) throws SQLException {
    s.setString(1, e.deliveryKey());
    s.setString(2, e.eventId());
    s.setString(3, e.bus());
    s.setString(4, e.rule());
    s.setString(5, e.target());
    s.setString(6, e.status().text());
    s.setInt(7, e.attempts());
    setText(s, 8, e.errorCode());
    setText(s, 9, e.errorMessage());
    setMillis(s, 10, e.firstAttemptAt());
    setMillis(s, 11, e.lastAttemptAt());
    setMillis(s, 12, e.deliveredAt());
  }

  private static void setText(PreparedStatement s, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      s.setString(index, value.get());
    } else {
      s.setNull(index, Types.VARCHAR);
    }
  }

  private static void setMillis(PreparedStatement s, int index, Optional<Instant> value)
      throws SQLException {
    if (value.isPresent()) {
      s.setLong(index, value.get().toEpochMilli());
    } else {
      s.setNull(index, Types.BIGINT);
    }
  }

  private static Optional<Instant> millis(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
  }

  private static DeliveryStatus status(String text, String key) throws SQLException {
    return DeliveryStatus.fromText(text)
        .orElseThrow(
            () ->
                new SQLException("journal entry " + key + " has an unknown status '" + text + "'"));
  }

  private static JournalEntry read(ResultSet row) throws SQLException {
    return new JournalEntry(
        row.getString("delivery_key"),
        row.getString("event_id"),
        row.getString("bus"),
        row.getString("rule"),
        row.getString("target"),
        status(row.getString("status"), row.getString("delivery_key")),
        row.getInt("attempts"),
        Optional.ofNullable(row.getString("last_error_code")),
        Optional.ofNullable(row.getString("last_error_message")),
        millis(row, "first_attempt_at"),
        millis(row, "last_attempt_at"),
        millis(row, "delivered_at"));
  }
}
