package dev.herald.store.internal.retry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import dev.herald.store.RetryMetadata;
import dev.herald.store.ScheduledRetry;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.JsonText;
import dev.herald.store.internal.db.Sql;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code retries} table: deliveries of unordered targets scheduled to be attempted again, and
 * the leases of the schedulers that claimed them. Stateless apart from the {@link Database};
 * thread-safe as it is.
 *
 * <p>A claim selects and marks its rows in one write transaction. On PostgreSQL the select locks
 * its rows {@code FOR UPDATE SKIP LOCKED}: concurrent claimers (other threads or instances) skip
 * the rows another claim holds, and a row whose claim committed meanwhile is checked again against
 * its new lease (READ COMMITTED re-evaluates the condition on the latest row), so a row is claimed
 * once per lease. On SQLite the single writer runs claims one after the other.
 */
public final class RetryRepository {
  private static final String COLUMNS =
      "delivery_key, target, due_at, attempt, event_id, rule, headers, payload, record_key,"
          + " first_attempt_at";

  private static final String UPSERT =
      "INSERT INTO retries ("
          + COLUMNS
          + ", claimed_by, claimed_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)"
          + " ON CONFLICT (delivery_key) DO UPDATE SET target = excluded.target,"
          + " due_at = excluded.due_at, attempt = excluded.attempt, event_id = excluded.event_id,"
          + " rule = excluded.rule, headers = excluded.headers, payload = excluded.payload,"
          + " record_key = excluded.record_key, first_attempt_at = excluded.first_attempt_at,"
          + " claimed_by = NULL, claimed_until = NULL";

  private static final String MARK_CLAIMED =
      "UPDATE retries SET claimed_by = ?, claimed_until = ? WHERE delivery_key = ?";

  private final Database db;

  RetryRepository(Database db) {
    this.db = db;
  }

  /**
   * Upserts the retries by delivery key in one write, releasing any claim on them; within one call
   * the last retry of a key wins.
   */
  void schedule(List<ScheduledRetry> retries) throws SQLException {
    Batch batch = batch(retries);
    db.write(
        c -> {
          scheduleIn(c, batch);
          return null;
        });
  }

  /** Retries ready to be written: the last of each key, its metadata rendered. */
  public record Batch(List<ScheduledRetry> retries, List<String> metadata) {}

  /**
   * Prepares retries for {@link #scheduleIn}, on the caller's thread (the JSON rendering stays off
   * SQLite's writer thread).
   */
  public static Batch batch(List<ScheduledRetry> retries) {
    Map<String, ScheduledRetry> byKey = new LinkedHashMap<>();
    retries.forEach(r -> byKey.put(r.deliveryKey(), r));
    List<ScheduledRetry> last = List.copyOf(byKey.values());
    return new Batch(last, last.stream().map(r -> metadataJson(r.metadata())).toList());
  }

  /** Upserts a prepared batch within the caller's write transaction on {@code c}. */
  public static void scheduleIn(Connection c, Batch batch) throws SQLException {
    if (batch.retries().isEmpty()) {
      return;
    }
    try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
      for (int i = 0; i < batch.retries().size(); i++) {
        bind(upsert, batch.retries().get(i), batch.metadata().get(i));
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  /**
   * Claims up to {@code limit} due, unclaimed (or lease expired) retries of targets not in {@code
   * paused}, oldest due first, for {@code owner} until {@code now + lease}.
   */
  List<ScheduledRetry> claim(
      String owner, Instant now, Duration lease, int limit, Set<String> paused)
      throws SQLException {
    List<String> pausedTargets = List.copyOf(paused);
    long nowMillis = now.toEpochMilli();
    long until = now.plus(lease).toEpochMilli();
    String sql = claimSql(pausedTargets.size());
    return db.write(
        c -> {
          List<ScheduledRetry> due =
              Sql.list(
                  c,
                  sql,
                  s -> {
                    s.setLong(1, nowMillis);
                    s.setLong(2, nowMillis);
                    Sql.strings(pausedTargets, 3).bind(s);
                    s.setInt(3 + pausedTargets.size(), limit);
                  },
                  RetryRepository::read);
          try (PreparedStatement mark = c.prepareStatement(MARK_CLAIMED)) {
            for (ScheduledRetry retry : due) {
              mark.setString(1, owner);
              mark.setLong(2, until);
              mark.setString(3, retry.deliveryKey());
              mark.addBatch();
            }
            mark.executeBatch();
          }
          return due;
        });
  }

  private String claimSql(int pausedCount) {
    return "SELECT "
        + COLUMNS
        + " FROM retries WHERE due_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)"
        + (pausedCount == 0 ? "" : " AND target NOT IN " + Sql.marks(pausedCount))
        + " ORDER BY due_at, delivery_key LIMIT ?"
        + (db.kind().equals("postgresql") ? " FOR UPDATE SKIP LOCKED" : "");
  }

  /** Extends the leases {@code owner} holds on these keys to {@code until}, in one write. */
  int renew(String owner, Collection<String> keys, Instant until) throws SQLException {
    List<String> distinct = keys.stream().distinct().toList();
    return db.write(
        c -> {
          int renewed = 0;
          for (List<String> chunk : Sql.chunks(distinct)) {
            renewed +=
                Sql.update(
                    c,
                    "UPDATE retries SET claimed_until = ? WHERE claimed_by = ? AND delivery_key IN "
                        + Sql.marks(chunk),
                    s -> {
                      s.setLong(1, until.toEpochMilli());
                      s.setString(2, owner);
                      Sql.strings(chunk, 3).bind(s);
                    });
          }
          return renewed;
        });
  }

  /** Deletes the retries of these keys in one write; unknown keys are ignored. */
  void complete(Collection<String> keys) throws SQLException {
    db.write(
        c -> {
          completeIn(c, keys);
          return null;
        });
  }

  /** Deletes the retries of these keys within the caller's write transaction on {@code c}. */
  public static void completeIn(Connection c, Collection<String> keys) throws SQLException {
    List<String> distinct = keys.stream().distinct().toList();
    for (List<String> chunk : Sql.chunks(distinct)) {
      Sql.update(
          c,
          "DELETE FROM retries WHERE delivery_key IN " + Sql.marks(chunk),
          Sql.strings(chunk, 1));
    }
  }

  int count(String target) throws SQLException {
    return db.read(
        c ->
            Sql.first(
                    c,
                    "SELECT COUNT(*) FROM retries WHERE target = ?",
                    s -> s.setString(1, target),
                    row -> row.getInt(1))
                .orElse(0));
  }

  private static void bind(PreparedStatement s, ScheduledRetry r, String metadata)
      throws SQLException {
    s.setString(1, r.deliveryKey());
    s.setString(2, r.target());
    s.setLong(3, r.dueAt().toEpochMilli());
    s.setInt(4, r.attempt());
    s.setString(5, r.eventId());
    s.setString(6, r.rule());
    s.setString(7, metadata);
    s.setBytes(8, r.payload());
    if (r.recordKey().isPresent()) {
      s.setBytes(9, r.recordKey().get());
    } else {
      s.setNull(9, Types.BINARY);
    }
    s.setLong(10, r.firstAttemptAt().toEpochMilli());
  }

  private static ScheduledRetry read(ResultSet row) throws SQLException {
    String key = row.getString("delivery_key");
    return new ScheduledRetry(
        key,
        row.getString("target"),
        Instant.ofEpochMilli(row.getLong("due_at")),
        row.getInt("attempt"),
        row.getString("event_id"),
        row.getString("rule"),
        metadata(row.getString("headers"), key),
        row.getBytes("payload"),
        Optional.ofNullable(row.getBytes("record_key")),
        Instant.ofEpochMilli(row.getLong("first_attempt_at")));
  }

  // The metadata is stored as the JSON object of the target record's headers that the first
  // versions kept ({"bus", "json", "ingestedAt", "traceparent"?, "hops"?}, every value a string),
  // so that retries scheduled before the record existed read back unchanged.
  private static final String BUS = "bus";
  private static final String JSON = "json";
  private static final String INGESTED_AT = "ingestedAt";
  private static final String TRACEPARENT = "traceparent";
  private static final String HOPS = "hops";
  private static final String REPLAY = "replay";

  /** The metadata as a JSON object of strings, names sorted. */
  static String metadataJson(RetryMetadata m) {
    Map<String, String> fields = new TreeMap<>();
    fields.put(BUS, m.bus());
    fields.put(JSON, Boolean.toString(m.json()));
    fields.put(INGESTED_AT, Long.toString(m.ingestedAt().toEpochMilli()));
    m.traceparent().ifPresent(t -> fields.put(TRACEPARENT, t));
    if (m.hops() > 0) {
      fields.put(HOPS, Integer.toString(m.hops()));
    }
    m.replay().ifPresent(r -> fields.put(REPLAY, r));
    try {
      return Json.MAPPER.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot render the metadata of a retry", e);
    }
  }

  private static RetryMetadata metadata(String json, String key) throws SQLException {
    JsonNode fields = JsonText.object(json, "headers of retry " + key);
    try {
      return new RetryMetadata(
          fields.path(BUS).asText(""),
          Boolean.parseBoolean(fields.path(JSON).asText("true")),
          Instant.ofEpochMilli(Long.parseLong(fields.path(INGESTED_AT).asText("0"))),
          Optional.ofNullable(fields.get(TRACEPARENT)).map(JsonNode::asText),
          Integer.parseInt(fields.path(HOPS).asText("0")),
          Optional.ofNullable(fields.get(REPLAY)).map(JsonNode::asText));
    } catch (IllegalArgumentException e) { // NumberFormatException, negative hops
      throw new SQLException("retry " + key + " has unreadable metadata " + json + ": " + e, e);
    }
  }
}
