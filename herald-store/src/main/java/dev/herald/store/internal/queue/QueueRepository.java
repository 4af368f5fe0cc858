package dev.herald.store.internal.queue;

import dev.herald.store.DeadLetter;
import dev.herald.store.QueueDepth;
import dev.herald.store.QueueLease;
import dev.herald.store.QueueMessage;
import dev.herald.store.QueueStore;
import dev.herald.store.ReceivedMessage;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.SortableIds;
import dev.herald.store.internal.db.Sql;
import dev.herald.store.internal.deadletter.DeadLetterRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The {@code queue_messages} and {@code queue_delivery_keys} tables: the messages of queue targets
 * and the delivery keys each queue has taken. Thread-safe: the id and token generators are, and the
 * {@link Database} is.
 *
 * <p>A receive selects and leases its rows in one write transaction. On PostgreSQL the select locks
 * its rows {@code FOR UPDATE SKIP LOCKED}: concurrent receivers skip rows another receive holds,
 * and a row leased by a receive that committed meanwhile is checked again against its new {@code
 * visible_at} (READ COMMITTED re-evaluates the condition on the latest row), so a message is leased
 * by one receive at a time. On SQLite the single writer runs receives one after the other. Ack,
 * nack and visibility changes act on a row only while its lease is live ({@code visible_at > now}),
 * and a receive only on rows whose lease is not, so the two never act on one row at once.
 */
final class QueueRepository {
  /** The most messages moved to the dead letters by one receive; the rest move at the next. */
  static final int DEAD_LETTER_BATCH = 100;

  /** Keys deleted per transaction by a purge. */
  static final int PURGE_CHUNK = 5_000;

  /** Leases acknowledged per statement. */
  static final int ACK_CHUNK = 100;

  private static final int TOKEN_BYTES = 16;

  private static final String INSERT_KEY =
      "INSERT INTO queue_delivery_keys (queue, delivery_key, enqueued_at) VALUES (?, ?, ?)"
          + " ON CONFLICT (queue, delivery_key) DO NOTHING";

  private static final String INSERT_MESSAGE =
      "INSERT INTO queue_messages (id, queue, delivery_key, event_id, rule, body, body_json,"
          + " envelope, enqueued_at, visible_at, receive_count)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
          + " ON CONFLICT (queue, delivery_key) DO NOTHING";

  private static final String COLUMNS =
      "id, queue, delivery_key, event_id, rule, body, body_json, envelope, enqueued_at,"
          + " receive_count, first_received_at, last_received_at";

  /** The condition of a live lease: id, queue, token, now. */
  private static final String LIVE =
      " WHERE id = ? AND queue = ? AND lease_token = ? AND visible_at > ?";

  /** Hides a dead letter (until, id, target) when it exists; a WHERE may follow. */
  private static final String HIDE_DEAD_LETTER =
      "INSERT INTO dead_letter_visibility AS v (dead_letter_id, hidden_until)"
          + " SELECT id, ? FROM dead_letters WHERE id = ? AND target = ?"
          + " ON CONFLICT (dead_letter_id) DO UPDATE SET hidden_until = excluded.hidden_until";

  private final Database db;
  private final SortableIds ids;
  private final RandomGenerator random;
  private final DeadLetterRepository deadLetters;

  /**
   * @param random makes lease tokens; a {@link java.security.SecureRandom} in production (tokens
   *     need only be unique, receipt handles are signed, but there is no reason to be guessable)
   */
  QueueRepository(
      Database db, SortableIds ids, RandomGenerator random, DeadLetterRepository deadLetters) {
    this.db = db;
    this.ids = ids;
    this.random = random;
    this.deadLetters = deadLetters;
  }

  /** Adds the messages whose key the queue has not taken, in one write; returns how many. */
  int enqueue(List<QueueMessage> messages) throws SQLException {
    return db.write(
        c -> {
          int added = 0;
          try (PreparedStatement key = c.prepareStatement(INSERT_KEY);
              PreparedStatement insert = c.prepareStatement(INSERT_MESSAGE)) {
            for (QueueMessage m : messages) {
              key.setString(1, m.queue());
              key.setString(2, m.deliveryKey());
              key.setLong(3, m.enqueuedAt().toEpochMilli());
              if (key.executeUpdate() == 1) {
                bindInsert(insert, m);
                added += insert.executeUpdate();
              }
            }
          }
          return added;
        });
  }

  private void bindInsert(PreparedStatement s, QueueMessage m) throws SQLException {
    s.setString(1, ids.next());
    s.setString(2, m.queue());
    s.setString(3, m.deliveryKey());
    s.setString(4, m.eventId());
    s.setString(5, m.rule());
    s.setString(6, m.body());
    s.setBoolean(7, m.json());
    s.setString(8, m.envelope().orElse(null));
    s.setLong(9, m.enqueuedAt().toEpochMilli());
    s.setLong(10, m.visibleAt().toEpochMilli());
  }

  /**
   * Leases up to {@code max} visible messages in one write: it takes the oldest visible rows, moves
   * those already received {@code maxReceives} times to the dead letters, leases the others under
   * one new token (one statement), and looks again while dead letters took the place of messages
   * (at most {@link #DEAD_LETTER_BATCH} dead letters per receive). It reads only as many rows as it
   * needs, whatever the backlog.
   */
  List<ReceivedMessage> receive(
      String queue, Instant now, Duration visibility, int max, int maxReceives)
      throws SQLException {
    long nowMillis = now.toEpochMilli();
    Instant until = now.plus(visibility);
    return db.write(
        c -> {
          String token = newToken();
          List<ReceivedMessage> received = new ArrayList<>();
          int deadLettered = 0;
          while (received.size() < max) {
            int want = max - received.size();
            List<Row> rows =
                Sql.list(
                    c,
                    visibleSql(),
                    s -> {
                      s.setString(1, queue);
                      s.setLong(2, nowMillis);
                      s.setInt(3, want);
                    },
                    QueueRepository::row);
            List<Row> exhausted =
                rows.stream().filter(r -> r.receiveCount() >= maxReceives).toList();
            List<Row> leasable = rows.stream().filter(r -> r.receiveCount() < maxReceives).toList();
            received.addAll(lease(c, leasable, nowMillis, until, token));
            deadLetter(c, queue, exhausted, maxReceives);
            deadLettered += exhausted.size();
            if (exhausted.isEmpty() || rows.size() < want || deadLettered >= DEAD_LETTER_BATCH) {
              break;
            }
          }
          return received;
        });
  }

  /** Leases {@code rows} under {@code token} in one statement. */
  private static List<ReceivedMessage> lease(
      Connection c, List<Row> rows, long now, Instant until, String token) throws SQLException {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<String> messageIds = rows.stream().map(Row::id).toList();
    Sql.update(
        c,
        "UPDATE queue_messages SET visible_at = ?, receive_count = receive_count + 1,"
            + " lease_token = ?, first_received_at = COALESCE(first_received_at, ?),"
            + " last_received_at = ? WHERE id IN "
            + Sql.marks(messageIds),
        s -> {
          s.setLong(1, until.toEpochMilli());
          s.setString(2, token);
          s.setLong(3, now);
          s.setLong(4, now);
          Sql.strings(messageIds, 5).bind(s);
        });
    return rows.stream().map(r -> r.received(token, until)).toList();
  }

  /** The oldest visible rows of one queue: queue, now, limit. */
  private String visibleSql() {
    return "SELECT "
        + COLUMNS
        + " FROM queue_messages WHERE queue = ? AND visible_at <= ?"
        + " ORDER BY visible_at, id LIMIT ?"
        + (db.kind().equals("postgresql") ? " FOR UPDATE SKIP LOCKED" : "");
  }

  /** Moves {@code exhausted} rows to the dead letters of {@code queue}, giving their keys back. */
  private void deadLetter(Connection c, String queue, List<Row> exhausted, int maxReceives)
      throws SQLException {
    if (exhausted.isEmpty()) {
      return;
    }
    List<String> messageIds = exhausted.stream().map(Row::id).toList();
    List<String> keys = exhausted.stream().map(Row::deliveryKey).toList();
    Sql.update(
        c,
        "DELETE FROM queue_messages WHERE id IN " + Sql.marks(messageIds),
        Sql.strings(messageIds, 1));
    Sql.update(
        c,
        "DELETE FROM queue_delivery_keys WHERE queue = ? AND delivery_key IN " + Sql.marks(keys),
        s -> {
          s.setString(1, queue);
          Sql.strings(keys, 2).bind(s);
        });
    deadLetters.addIn(c, exhausted.stream().map(r -> r.deadLetter(maxReceives)).toList());
  }

  /**
   * Deletes the rows of the live leases among {@code leases}: one statement per {@link #ACK_CHUNK}
   * leases, which returns the (id, token) pairs it deleted.
   */
  Set<QueueLease> ack(String queue, Collection<QueueLease> leases, Instant now)
      throws SQLException {
    long nowMillis = now.toEpochMilli();
    List<QueueLease> all = List.copyOf(new LinkedHashSet<>(leases));
    return db.write(
        c -> {
          Set<QueueLease> deleted = new HashSet<>();
          for (int from = 0; from < all.size(); from += ACK_CHUNK) {
            List<QueueLease> chunk = all.subList(from, Math.min(all.size(), from + ACK_CHUNK));
            String sql =
                "DELETE FROM queue_messages WHERE queue = ? AND visible_at > ? AND ("
                    + String.join(
                        " OR ", Collections.nCopies(chunk.size(), "(id = ? AND lease_token = ?)"))
                    + ") RETURNING id, lease_token";
            try (PreparedStatement s = c.prepareStatement(sql)) {
              s.setString(1, queue);
              s.setLong(2, nowMillis);
              int i = 3;
              for (QueueLease lease : chunk) {
                s.setString(i++, lease.messageId());
                s.setString(i++, lease.leaseToken());
              }
              try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                  deleted.add(new QueueLease(r.getString(1), r.getString(2)));
                }
              }
            }
          }
          Set<QueueLease> done = new LinkedHashSet<>();
          for (QueueLease lease : all) {
            if (deleted.contains(lease)) {
              done.add(lease);
            }
          }
          return done;
        });
  }

  Set<QueueLease> nack(String queue, Collection<QueueLease> leases, Instant now, Duration delay)
      throws SQLException {
    return onLive(
        "UPDATE queue_messages SET visible_at = ?, lease_token = NULL" + LIVE,
        OptionalLong.of(now.plus(delay).toEpochMilli()),
        queue,
        leases,
        now);
  }

  boolean changeVisibility(String queue, QueueLease lease, Instant now, Duration visibility)
      throws SQLException {
    return !onLive(
            "UPDATE queue_messages SET visible_at = ?" + LIVE,
            OptionalLong.of(now.plus(visibility).toEpochMilli()),
            queue,
            List.of(lease),
            now)
        .isEmpty();
  }

  /**
   * Runs {@code sql} (ending in {@link #LIVE}, after the parameter of a new {@code visible_at} when
   * there is one) once per lease in one write; returns the leases it changed.
   */
  private Set<QueueLease> onLive(
      String sql, OptionalLong visibleAt, String queue, Collection<QueueLease> leases, Instant now)
      throws SQLException {
    long nowMillis = now.toEpochMilli();
    int first = visibleAt.isPresent() ? 2 : 1;
    return db.write(
        c -> {
          Set<QueueLease> changed = new LinkedHashSet<>();
          try (PreparedStatement s = c.prepareStatement(sql)) {
            for (QueueLease lease : leases) {
              if (visibleAt.isPresent()) {
                s.setLong(1, visibleAt.getAsLong());
              }
              s.setString(first, lease.messageId());
              s.setString(first + 1, queue);
              s.setString(first + 2, lease.leaseToken());
              s.setLong(first + 3, nowMillis);
              if (s.executeUpdate() == 1) {
                changed.add(lease);
              }
            }
          }
          return changed;
        });
  }

  /** Deletes the messages of {@code queue} that no live lease holds; returns how many. */
  int purge(String queue, Instant now) throws SQLException {
    long nowMillis = now.toEpochMilli();
    return db.write(
        c ->
            Sql.update(
                c,
                "DELETE FROM queue_messages WHERE queue = ?"
                    + " AND (lease_token IS NULL OR visible_at <= ?)",
                s -> {
                  s.setString(1, queue);
                  s.setLong(2, nowMillis);
                }));
  }

  /**
   * Hides the first {@code max} of these dead letters of {@code target} that are not hidden at
   * {@code now} until {@code until}, in one write; returns their ids in the given order.
   */
  List<String> hideDeadLetters(String target, List<String> ids, int max, Instant now, Instant until)
      throws SQLException {
    long nowMillis = now.toEpochMilli();
    return db.write(
        c -> {
          List<String> hidden = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(HIDE_DEAD_LETTER + " WHERE v.hidden_until <= ?")) {
            for (String id : ids) {
              if (hidden.size() == max) {
                break;
              }
              s.setLong(1, until.toEpochMilli());
              s.setString(2, id);
              s.setString(3, target);
              s.setLong(4, nowMillis);
              if (s.executeUpdate() == 1) {
                hidden.add(id);
              }
            }
          }
          return hidden;
        });
  }

  /** Hides a dead letter of {@code target} until {@code until}, hidden or not; false when gone. */
  boolean setDeadLetterVisibility(String target, String id, Instant until) throws SQLException {
    return db.write(
            c ->
                Sql.update(
                    c,
                    HIDE_DEAD_LETTER,
                    s -> {
                      s.setLong(1, until.toEpochMilli());
                      s.setString(2, id);
                      s.setString(3, target);
                    }))
        == 1;
  }

  QueueDepth depth(String queue, Instant now) throws SQLException {
    long nowMillis = now.toEpochMilli();
    return db.read(
        c ->
            Sql.first(
                    c,
                    "SELECT COALESCE(SUM(CASE WHEN visible_at <= ? THEN 1 ELSE 0 END), 0),"
                        + " COALESCE(SUM(CASE WHEN visible_at > ? AND lease_token IS NOT NULL"
                        + " THEN 1 ELSE 0 END), 0),"
                        + " COALESCE(SUM(CASE WHEN visible_at > ? AND lease_token IS NULL"
                        + " THEN 1 ELSE 0 END), 0)"
                        + " FROM queue_messages WHERE queue = ?",
                    s -> {
                      s.setLong(1, nowMillis);
                      s.setLong(2, nowMillis);
                      s.setLong(3, nowMillis);
                      s.setString(4, queue);
                    },
                    row -> new QueueDepth(row.getLong(1), row.getLong(2), row.getLong(3)))
                .orElse(new QueueDepth(0, 0, 0)));
  }

  int purgeKeysBefore(Instant cutoff) throws SQLException {
    return Sql.deleteInChunks(
        db,
        "DELETE FROM queue_delivery_keys WHERE (queue, delivery_key) IN (SELECT queue,"
            + " delivery_key FROM queue_delivery_keys WHERE enqueued_at < ? LIMIT ?)",
        PURGE_CHUNK,
        s -> {
          s.setLong(1, cutoff.toEpochMilli());
          s.setInt(2, PURGE_CHUNK);
        });
  }

  private String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A selected row, before its lease. */
  private record Row(
      String id,
      String queue,
      String deliveryKey,
      String eventId,
      String rule,
      String body,
      boolean json,
      String envelope,
      Instant enqueuedAt,
      int receiveCount,
      Instant firstReceivedAt,
      Instant lastReceivedAt) {

    ReceivedMessage received(String token, Instant until) {
      return new ReceivedMessage(
          id,
          token,
          receiveCount + 1,
          queue,
          deliveryKey,
          eventId,
          rule,
          body,
          json,
          enqueuedAt,
          until);
    }

    DeadLetter deadLetter(int maxReceives) {
      String letterEnvelope = envelope != null ? envelope : json ? body : "{}";
      return new DeadLetter(
          null,
          queue,
          deliveryKey,
          eventId,
          rule,
          letterEnvelope,
          receiveCount,
          QueueStore.MAX_RECEIVES_EXCEEDED,
          "received "
              + receiveCount
              + " times and not acknowledged (the target's retry.maxAttempts is "
              + maxReceives
              + ")",
          firstReceivedAt != null ? firstReceivedAt : enqueuedAt,
          lastReceivedAt != null ? lastReceivedAt : enqueuedAt);
    }
  }

  private static Row row(ResultSet r) throws SQLException {
    long first = r.getLong("first_received_at");
    Instant firstReceived = r.wasNull() ? null : Instant.ofEpochMilli(first);
    long last = r.getLong("last_received_at");
    Instant lastReceived = r.wasNull() ? null : Instant.ofEpochMilli(last);
    return new Row(
        r.getString("id"),
        r.getString("queue"),
        r.getString("delivery_key"),
        r.getString("event_id"),
        r.getString("rule"),
        r.getString("body"),
        r.getBoolean("body_json"),
        r.getString("envelope"),
        Instant.ofEpochMilli(r.getLong("enqueued_at")),
        r.getInt("receive_count"),
        firstReceived,
        lastReceived);
  }
}
