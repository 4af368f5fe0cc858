package dev.herald.store.internal.audit;

import dev.herald.core.audit.AuditChain;
import dev.herald.core.audit.AuditEntry;
import dev.herald.core.audit.AuditHead;
import dev.herald.core.audit.AuditRecord;
import dev.herald.core.config.Page;
import dev.herald.store.AuditAppend;
import dev.herald.store.AuditFilter;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.Pages;
import dev.herald.store.internal.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The {@code audit_log} and {@code audit_head} tables: appends link records into the hash chain
 * ({@link AuditChain}) under a lock on the head, so that appends are serialized on every database
 * and across instances. Thread-safe: stateless but for the clock, and the {@link Database} is.
 */
final class AuditRepository {
  private static final String COLUMNS =
      "seq, delivery_key, event_id, bus, source, detail_type, event_time, recorded_at, envelope,"
          + " event_hash, prev_hash, hash";
  private static final String INSERT =
      "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String HEAD = "SELECT seq, hash, recorded_at FROM audit_head WHERE id = 1";
  private static final String MOVE_HEAD =
      "UPDATE audit_head SET seq = ?, hash = ?, recorded_at = ? WHERE id = 1";

  private final Database db;
  private final InstantSource clock;

  AuditRepository(Database db, InstantSource clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Appends the records not yet in the log, in one transaction. The head is read first, locked on
   * PostgreSQL ({@code FOR UPDATE}: a second appender waits for this transaction, then sees its
   * entries); on SQLite the single writer's {@code BEGIN IMMEDIATE} already excludes every other
   * writer of the file.
   */
  AuditAppend append(List<AuditRecord> records) throws SQLException {
    return db.write(
        c -> {
          AuditHead head = lockedHead(c);
          Set<String> taken = existingKeys(c, records);
          List<AuditEntry> appended = new ArrayList<>();
          List<String> duplicates = new ArrayList<>();
          Instant now = clock.instant();
          for (AuditRecord record : records) {
            if (!taken.add(record.deliveryKey())) {
              duplicates.add(record.deliveryKey());
              continue;
            }
            AuditEntry entry = AuditChain.link(head, record, now);
            appended.add(entry);
            head = entry.asHead();
          }
          if (!appended.isEmpty()) {
            insert(c, appended);
            moveHead(c, head);
          }
          return new AuditAppend(appended, duplicates);
        });
  }

  AuditHead head() throws SQLException {
    return db.read(c -> readHead(c, HEAD));
  }

  /** A page of the entries that pass {@code filter}, by seq, after {@code afterSeq}. */
  Page<AuditEntry> page(AuditFilter filter, int limit, OptionalLong afterSeq) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE seq > ?");
    filter.from().ifPresent(t -> sql.append(" AND recorded_at >= ?"));
    filter.to().ifPresent(t -> sql.append(" AND recorded_at < ?"));
    filter.source().ifPresent(s -> sql.append(" AND source = ?"));
    filter.detailType().ifPresent(d -> sql.append(" AND detail_type = ?"));
    sql.append(" ORDER BY seq LIMIT ?");
    List<AuditEntry> found =
        db.read(
            c ->
                Sql.list(
                    c,
                    sql.toString(),
                    s -> {
                      int i = 1;
                      s.setLong(i++, afterSeq.orElse(0));
                      if (filter.from().isPresent()) {
                        s.setLong(i++, filter.from().get().toEpochMilli());
                      }
                      if (filter.to().isPresent()) {
                        s.setLong(i++, filter.to().get().toEpochMilli());
                      }
                      if (filter.source().isPresent()) {
                        s.setString(i++, filter.source().get());
                      }
                      if (filter.detailType().isPresent()) {
                        s.setString(i++, filter.detailType().get());
                      }
                      s.setInt(i, limit + 1);
                    },
                    AuditRepository::toEntry));
    return Pages.of(found, limit, e -> Long.toString(e.seq()));
  }

  /** Up to {@code limit} entries with {@code afterSeq < seq <= throughSeq}, by seq. */
  List<AuditEntry> chunk(long afterSeq, long throughSeq, int limit) throws SQLException {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT "
                    + COLUMNS
                    + " FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                s -> {
                  s.setLong(1, afterSeq);
                  s.setLong(2, throughSeq);
                  s.setInt(3, limit);
                },
                AuditRepository::toEntry));
  }

  private AuditHead lockedHead(Connection c) throws SQLException {
    return readHead(c, db.kind().equals("postgresql") ? HEAD + " FOR UPDATE" : HEAD);
  }

  private static AuditHead readHead(Connection c, String sql) throws SQLException {
    return Sql.first(
            c,
            sql,
            Sql.none(),
            row ->
                new AuditHead(
                    row.getLong("seq"),
                    row.getString("hash"),
                    Instant.ofEpochMilli(row.getLong("recorded_at"))))
        .orElseThrow(() -> new SQLException("audit_head has no row: the schema is damaged"));
  }

  private static Set<String> existingKeys(Connection c, List<AuditRecord> records)
      throws SQLException {
    List<String> keys = records.stream().map(AuditRecord::deliveryKey).distinct().toList();
    Set<String> existing = new HashSet<>();
    for (List<String> chunk : Sql.chunks(keys)) {
      existing.addAll(
          Sql.list(
              c,
              "SELECT delivery_key FROM audit_log WHERE delivery_key IN " + Sql.marks(chunk),
              Sql.strings(chunk, 1),
              row -> row.getString(1)));
    }
    return existing;
  }

  private static void insert(Connection c, List<AuditEntry> entries) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(INSERT)) {
      for (AuditEntry entry : entries) {
        bind(insert, entry);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static void moveHead(Connection c, AuditHead head) throws SQLException {
    Sql.update(
        c,
        MOVE_HEAD,
        s -> {
          s.setLong(1, head.seq());
          s.setString(2, head.hash());
          s.setLong(3, head.recordedAt().toEpochMilli());
        });
  }

  private static void bind(PreparedStatement s, AuditEntry entry) throws SQLException {
    AuditRecord r = entry.record();
    s.setLong(1, entry.seq());
    s.setString(2, r.deliveryKey());
    s.setString(3, r.eventId());
    s.setString(4, r.bus().orElse(null));
    s.setString(5, r.source().orElse(null));
    s.setString(6, r.detailType().orElse(null));
    if (r.eventTime().isPresent()) {
      s.setLong(7, r.eventTime().get().toEpochMilli());
    } else {
      s.setNull(7, Types.BIGINT);
    }
    s.setLong(8, entry.recordedAt().toEpochMilli());
    s.setString(9, r.envelope());
    s.setString(10, entry.eventHash());
    s.setString(11, entry.prevHash());
    s.setString(12, entry.hash());
  }

  private static AuditEntry toEntry(ResultSet row) throws SQLException {
    long eventTime = row.getLong("event_time");
    Optional<Instant> time =
        row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(eventTime));
    AuditRecord record =
        new AuditRecord(
            row.getString("delivery_key"),
            row.getString("event_id"),
            Optional.ofNullable(row.getString("bus")),
            Optional.ofNullable(row.getString("source")),
            Optional.ofNullable(row.getString("detail_type")),
            time,
            row.getString("envelope"));
    return new AuditEntry(
        row.getLong("seq"),
        record,
        Instant.ofEpochMilli(row.getLong("recorded_at")),
        row.getString("event_hash"),
        row.getString("prev_hash"),
        row.getString("hash"));
  }
}
