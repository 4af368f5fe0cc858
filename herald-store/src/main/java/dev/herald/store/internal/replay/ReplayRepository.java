package dev.herald.store.internal.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.herald.core.config.Page;
import dev.herald.core.json.Json;
import dev.herald.store.DeadLetter;
import dev.herald.store.Replay;
import dev.herald.store.ReplayDelivery;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.Sql;
import dev.herald.store.internal.deadletter.DeadLetterRepository;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code replays} and {@code replay_deliveries} tables. Stateless; thread-safe as the {@link
 * Database} is.
 */
final class ReplayRepository {
  private static final String COLUMNS =
      "bus, name, state, from_time, to_time, rules, positions, end_offsets, events_replayed,"
          + " events_total, last_replayed_time, error, owner, lease_until, created_at, updated_at,"
          + " finished_at, changed_by, lanes";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM replays";
  private static final String INSERT =
      "INSERT INTO replays ("
          + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (bus, name) DO NOTHING";
  private static final String PROGRESS =
      "UPDATE replays SET positions = ?, lanes = ?, events_replayed = ?, last_replayed_time = ?,"
          + " lease_until = ?, updated_at = ? WHERE bus = ? AND name = ? AND state = 'running'"
          + " AND owner = ?";
  private static final String INSERT_DELIVERY =
      "INSERT INTO replay_deliveries (delivery_key, event_id, bus, replay, rule, target,"
          + " error_code, error_message, replayed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (delivery_key) DO NOTHING";

  private static final TypeReference<TreeMap<Integer, Long>> OFFSETS = new TypeReference<>() {};
  private static final TypeReference<TreeMap<String, TreeMap<Integer, Long>>> LANES =
      new TypeReference<>() {};
  private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};

  private final Database db;
  private final DeadLetterRepository letters;

  ReplayRepository(Database db, DeadLetterRepository letters) {
    this.db = db;
    this.letters = letters;
  }

  boolean create(Replay r, String owner, Instant leaseUntil) throws SQLException {
    String rules = json(r.rules());
    String positions = json(r.positions());
    String ends = json(r.endOffsets());
    String lanes = json(lanes(r.lanes()));
    return db.write(
            c ->
                Sql.update(
                    c,
                    INSERT,
                    s -> {
                      s.setString(1, r.bus());
                      s.setString(2, r.name());
                      s.setString(3, r.state());
                      s.setLong(4, r.from().toEpochMilli());
                      s.setLong(5, r.to().toEpochMilli());
                      s.setString(6, rules);
                      s.setString(7, positions);
                      s.setString(8, ends);
                      s.setLong(9, r.eventsReplayed());
                      s.setLong(10, r.eventsTotal());
                      setTime(s, 11, r.lastReplayedTime());
                      s.setString(12, r.error().orElse(null));
                      s.setString(13, owner);
                      s.setLong(14, leaseUntil.toEpochMilli());
                      s.setLong(15, r.createdAt().toEpochMilli());
                      s.setLong(16, r.updatedAt().toEpochMilli());
                      setTime(s, 17, r.finishedAt());
                      s.setString(18, r.changedBy().orElse(null));
                      s.setString(19, lanes);
                    }))
        > 0;
  }

  Optional<Replay> get(String bus, String name) throws SQLException {
    return db.read(c -> one(c, bus, name));
  }

  private static Optional<Replay> one(Connection c, String bus, String name) throws SQLException {
    return Sql.first(
        c,
        SELECT + " WHERE bus = ? AND name = ?",
        s -> {
          s.setString(1, bus);
          s.setString(2, name);
        },
        ReplayRepository::map);
  }

  Page<Replay> page(String bus, int limit, Optional<String> after) throws SQLException {
    List<Replay> rows =
        db.read(
            c ->
                Sql.list(
                    c,
                    SELECT + " WHERE bus = ? AND name > ? ORDER BY name LIMIT ?",
                    s -> {
                      s.setString(1, bus);
                      s.setString(2, after.orElse(""));
                      s.setInt(3, limit + 1);
                    },
                    ReplayRepository::map));
    if (rows.size() <= limit) {
      return new Page<>(rows, Optional.empty());
    }
    List<Replay> items = rows.subList(0, limit);
    return new Page<>(items, Optional.of(Page.cursorAfter(items.getLast().name())));
  }

  List<Replay> claim(String owner, Instant now, Instant leaseUntil) throws SQLException {
    return db.write(
        c -> {
          List<Replay> running =
              Sql.list(
                  c,
                  SELECT
                      + " WHERE state = 'running' AND (owner = ? OR lease_until IS NULL"
                      + " OR lease_until < ?) ORDER BY bus, name",
                  s -> {
                    s.setString(1, owner);
                    s.setLong(2, now.toEpochMilli());
                  },
                  ReplayRepository::map);
          List<Replay> taken = new ArrayList<>();
          for (Replay r : running) {
            int updated =
                Sql.update(
                    c,
                    "UPDATE replays SET owner = ?, lease_until = ? WHERE bus = ? AND name = ?"
                        + " AND state = 'running' AND (owner = ? OR lease_until IS NULL"
                        + " OR lease_until < ?)",
                    s -> {
                      s.setString(1, owner);
                      s.setLong(2, leaseUntil.toEpochMilli());
                      s.setString(3, r.bus());
                      s.setString(4, r.name());
                      s.setString(5, owner);
                      s.setLong(6, now.toEpochMilli());
                    });
            if (updated > 0) {
              taken.add(r);
            }
          }
          return taken;
        });
  }

  boolean progress(
      String bus,
      String name,
      String owner,
      Map<Integer, Long> positions,
      Map<String, Map<Integer, Long>> lanes,
      long eventsReplayed,
      Optional<Instant> lastReplayedTime,
      Instant now,
      Instant leaseUntil,
      List<ReplayDelivery> deliveries,
      List<DeadLetter> deadLetters)
      throws SQLException {
    String at = json(new TreeMap<>(positions));
    String behind = json(lanes(lanes));
    return db.write(
        c -> {
          letters.addIn(c, deadLetters);
          for (ReplayDelivery d : deliveries) {
            Sql.update(
                c,
                INSERT_DELIVERY,
                s -> {
                  s.setString(1, d.deliveryKey());
                  s.setString(2, d.eventId());
                  s.setString(3, d.bus());
                  s.setString(4, d.replay());
                  s.setString(5, d.rule());
                  s.setString(6, d.target());
                  s.setString(7, d.errorCode().orElse(null));
                  s.setString(8, d.errorMessage().orElse(null));
                  s.setLong(9, d.replayedAt().toEpochMilli());
                });
          }
          return Sql.update(
                  c,
                  PROGRESS,
                  s -> {
                    s.setString(1, at);
                    s.setString(2, behind);
                    s.setLong(3, eventsReplayed);
                    setTime(s, 4, lastReplayedTime);
                    s.setLong(5, leaseUntil.toEpochMilli());
                    s.setLong(6, now.toEpochMilli());
                    s.setString(7, bus);
                    s.setString(8, name);
                    s.setString(9, owner);
                  })
              > 0;
        });
  }

  void release(String bus, String name, String owner) throws SQLException {
    db.write(
        c ->
            Sql.update(
                c,
                "UPDATE replays SET owner = NULL, lease_until = NULL"
                    + " WHERE bus = ? AND name = ? AND owner = ?",
                s -> {
                  s.setString(1, bus);
                  s.setString(2, name);
                  s.setString(3, owner);
                }));
  }

  Optional<Replay> finish(
      String bus, String name, String state, Optional<String> error, Instant now)
      throws SQLException {
    return db.write(
        c -> {
          Sql.update(
              c,
              "UPDATE replays SET state = ?, error = ?, finished_at = ?, updated_at = ?,"
                  + " owner = NULL, lease_until = NULL"
                  + " WHERE bus = ? AND name = ? AND state = 'running'",
              s -> {
                s.setString(1, state);
                s.setString(2, error.orElse(null));
                s.setLong(3, now.toEpochMilli());
                s.setLong(4, now.toEpochMilli());
                s.setString(5, bus);
                s.setString(6, name);
              });
          return one(c, bus, name);
        });
  }

  List<ReplayDelivery> deliveriesOf(String eventId) throws SQLException {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT delivery_key, event_id, bus, replay, rule, target, error_code,"
                    + " error_message, replayed_at FROM replay_deliveries WHERE event_id = ?"
                    + " ORDER BY replayed_at, replay, rule, target",
                s -> s.setString(1, eventId),
                row ->
                    new ReplayDelivery(
                        row.getString("delivery_key"),
                        row.getString("event_id"),
                        row.getString("bus"),
                        row.getString("replay"),
                        row.getString("rule"),
                        row.getString("target"),
                        Optional.ofNullable(row.getString("error_code")),
                        Optional.ofNullable(row.getString("error_message")),
                        Instant.ofEpochMilli(row.getLong("replayed_at")))));
  }

  int purgeBefore(Instant cutoff) throws SQLException {
    return db.write(
        c ->
            Sql.update(
                c,
                "DELETE FROM replay_deliveries WHERE replayed_at < ?",
                s -> s.setLong(1, cutoff.toEpochMilli())));
  }

  private static Replay map(ResultSet row) throws SQLException {
    return new Replay(
        row.getString("bus"),
        row.getString("name"),
        row.getString("state"),
        Instant.ofEpochMilli(row.getLong("from_time")),
        Instant.ofEpochMilli(row.getLong("to_time")),
        read(row.getString("rules"), NAMES),
        read(row.getString("positions"), OFFSETS),
        Map.copyOf(read(row.getString("lanes"), LANES)),
        read(row.getString("end_offsets"), OFFSETS),
        row.getLong("events_replayed"),
        row.getLong("events_total"),
        time(row, "last_replayed_time"),
        Optional.ofNullable(row.getString("error")),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")),
        time(row, "finished_at"),
        Optional.ofNullable(row.getString("changed_by")));
  }

  private static Optional<Instant> time(ResultSet row, String column) throws SQLException {
    long millis = row.getLong(column);
    return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  private static void setTime(java.sql.PreparedStatement s, int index, Optional<Instant> time)
      throws SQLException {
    if (time.isPresent()) {
      s.setLong(index, time.get().toEpochMilli());
    } else {
      s.setNull(index, Types.BIGINT);
    }
  }

  /** Lanes in a stable order, for the JSON column. */
  private static TreeMap<String, TreeMap<Integer, Long>> lanes(
      Map<String, Map<Integer, Long>> lanes) {
    TreeMap<String, TreeMap<Integer, Long>> sorted = new TreeMap<>();
    lanes.forEach((target, at) -> sorted.put(target, new TreeMap<>(at)));
    return sorted;
  }

  private static String json(Object value) throws SQLException {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new SQLException("cannot write " + value + " as JSON", e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type) throws SQLException {
    try {
      return Json.MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable replay column " + json + ": " + e.getMessage(), e);
    }
  }
}
