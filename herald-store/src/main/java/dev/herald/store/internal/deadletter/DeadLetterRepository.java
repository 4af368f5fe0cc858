package dev.herald.store.internal.deadletter;

import dev.herald.core.config.Page;
import dev.herald.store.DeadLetter;
import dev.herald.store.Redrive;
import dev.herald.store.ScheduledRetry;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.Pages;
import dev.herald.store.internal.db.SortableIds;
import dev.herald.store.internal.db.Sql;
import dev.herald.store.internal.retry.RetryRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code dead_letters} table: at most one dead letter per (target, delivery key), ids assigned
 * here, sortable by time. Thread-safe: the id generator is, and the {@link Database} is.
 */
public final class DeadLetterRepository {
  /** Rows deleted per transaction by a purge of all, so that it never holds the writer for long. */
  static final int PURGE_CHUNK = 5_000;

  private static final String COLUMNS =
      "id, target, delivery_key, event_id, rule, envelope, attempts, error_code, error_message,"
          + " first_attempt_at, last_attempt_at";

  /**
   * A second dead letter of one delivery keeps the row (its id, event and first attempt) and takes
   * the attempts and error of the later one; adding the same dead letter again changes nothing.
   */
  private static final String UPSERT =
      "INSERT INTO dead_letters ("
          + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (target, delivery_key) DO UPDATE SET attempts = excluded.attempts,"
          + " error_code = excluded.error_code, error_message = excluded.error_message,"
          + " last_attempt_at = excluded.last_attempt_at"
          + " WHERE excluded.last_attempt_at > dead_letters.last_attempt_at";

  private final Database db;
  private final SortableIds ids;

  public DeadLetterRepository(Database db, SortableIds ids) {
    this.db = db;
    this.ids = ids;
  }

  /** Adds the letters in one write; a letter without an id gets a new one. */
  void add(List<DeadLetter> letters) throws SQLException {
    List<DeadLetter> withIds = withIds(letters);
    db.write(
        c -> {
          upsert(c, withIds);
          return null;
        });
  }

  /**
   * Adds the letters within the caller's write transaction on {@code c}; a letter without an id
   * gets a new one.
   */
  public void addIn(Connection c, List<DeadLetter> letters) throws SQLException {
    if (!letters.isEmpty()) {
      upsert(c, withIds(letters));
    }
  }

  private List<DeadLetter> withIds(List<DeadLetter> letters) {
    return letters.stream()
        .map(l -> l.id() == null || l.id().isEmpty() ? l.withId(ids.next()) : l)
        .toList();
  }

  /**
   * Applies redrives of letters of {@code target} within the caller's write transaction on {@code
   * c}: a letter to retry is deleted and, if this transaction deleted it, its retry scheduled; a
   * letter still dead takes the new error. Letters already gone are skipped. Returns how many
   * retries it scheduled.
   */
  int redriveIn(Connection c, String target, List<Redrive> redrives) throws SQLException {
    List<ScheduledRetry> retries = new ArrayList<>();
    try (PreparedStatement take =
            c.prepareStatement("DELETE FROM dead_letters WHERE target = ? AND id = ?");
        PreparedStatement keep =
            c.prepareStatement(
                "UPDATE dead_letters SET error_code = ?, error_message = ?, last_attempt_at = ?"
                    + " WHERE target = ? AND id = ?")) {
      for (Redrive redrive : redrives) {
        switch (redrive) {
          case Redrive.Retry retry -> {
            take.setString(1, target);
            take.setString(2, retry.letterId());
            if (take.executeUpdate() == 1) {
              retries.add(retry.retry());
            }
          }
          case Redrive.StillDead dead -> {
            keep.setString(1, dead.errorCode());
            keep.setString(2, dead.errorMessage());
            keep.setLong(3, dead.at().toEpochMilli());
            keep.setString(4, target);
            keep.setString(5, dead.letterId());
            keep.executeUpdate();
          }
        }
      }
    }
    RetryRepository.scheduleIn(c, RetryRepository.batch(retries));
    return retries.size();
  }

  private static void upsert(Connection c, List<DeadLetter> letters) throws SQLException {
    try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
      for (DeadLetter letter : letters) {
        bind(upsert, letter);
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  int count(String target) throws SQLException {
    return db.read(
        c ->
            Sql.first(
                    c,
                    "SELECT COUNT(*) FROM dead_letters WHERE target = ?",
                    s -> s.setString(1, target),
                    row -> row.getInt(1))
                .orElse(0));
  }

  Page<DeadLetter> page(String target, int limit, Optional<String> after) throws SQLException {
    List<DeadLetter> found =
        db.read(
            c ->
                Sql.list(
                    c,
                    "SELECT "
                        + COLUMNS
                        + " FROM dead_letters WHERE target = ? AND id > ? ORDER BY id LIMIT ?",
                    s -> {
                      s.setString(1, target);
                      s.setString(2, Pages.start(after));
                      s.setInt(3, limit + 1);
                    },
                    DeadLetterRepository::toDeadLetter));
    return Pages.of(found, limit, DeadLetter::id);
  }

  Optional<DeadLetter> byId(String target, String id) throws SQLException {
    return db.read(
        c ->
            Sql.first(
                c,
                "SELECT " + COLUMNS + " FROM dead_letters WHERE target = ? AND id = ?",
                s -> {
                  s.setString(1, target);
                  s.setString(2, id);
                },
                DeadLetterRepository::toDeadLetter));
  }

  /** The letters of {@code target} with these ids, by id. */
  List<DeadLetter> byIds(String target, List<String> letterIds) throws SQLException {
    List<String> distinct = letterIds.stream().distinct().toList();
    return db.read(
        c -> {
          List<DeadLetter> found = new ArrayList<>();
          for (List<String> chunk : Sql.chunks(distinct)) {
            found.addAll(
                Sql.list(
                    c,
                    "SELECT "
                        + COLUMNS
                        + " FROM dead_letters WHERE target = ? AND id IN "
                        + Sql.marks(chunk),
                    s -> {
                      s.setString(1, target);
                      Sql.strings(chunk, 2).bind(s);
                    },
                    DeadLetterRepository::toDeadLetter));
          }
          return byId(found);
        });
  }

  /** Deletes the letters of {@code target} with these ids in one write; returns how many. */
  int purge(String target, List<String> letterIds) throws SQLException {
    List<String> distinct = letterIds.stream().distinct().toList();
    return db.write(
        c -> {
          int purged = 0;
          for (List<String> chunk : Sql.chunks(distinct)) {
            purged +=
                Sql.update(
                    c,
                    "DELETE FROM dead_letters WHERE target = ? AND id IN " + Sql.marks(chunk),
                    s -> {
                      s.setString(1, target);
                      Sql.strings(chunk, 2).bind(s);
                    });
          }
          return purged;
        });
  }

  /** Deletes every letter of {@code target}, {@link #PURGE_CHUNK} per write; returns how many. */
  int purgeAll(String target) throws SQLException {
    return Sql.deleteInChunks(
        db,
        "DELETE FROM dead_letters WHERE id IN (SELECT id FROM dead_letters"
            + " WHERE target = ? LIMIT ?)",
        PURGE_CHUNK,
        s -> {
          s.setString(1, target);
          s.setInt(2, PURGE_CHUNK);
        });
  }

  private static List<DeadLetter> byId(List<DeadLetter> letters) {
    return letters.stream().sorted(Comparator.comparing(DeadLetter::id)).toList();
  }

  private static void bind(PreparedStatement s, DeadLetter letter) throws SQLException {
    s.setString(1, letter.id());
    s.setString(2, letter.target());
    s.setString(3, letter.deliveryKey());
    s.setString(4, letter.eventId());
    s.setString(5, letter.rule());
    s.setString(6, letter.envelopeJson());
    s.setInt(7, letter.attempts());
    s.setString(8, letter.errorCode());
    s.setString(9, letter.errorMessage());
    s.setLong(10, letter.firstAttemptAt().toEpochMilli());
    s.setLong(11, letter.lastAttemptAt().toEpochMilli());
  }

  private static DeadLetter toDeadLetter(ResultSet row) throws SQLException {
    return new DeadLetter(
        row.getString("id"),
        row.getString("target"),
        row.getString("delivery_key"),
        row.getString("event_id"),
        row.getString("rule"),
        row.getString("envelope"),
        row.getInt("attempts"),
        row.getString("error_code"),
        row.getString("error_message"),
        Instant.ofEpochMilli(row.getLong("first_attempt_at")),
        Instant.ofEpochMilli(row.getLong("last_attempt_at")));
  }
}
