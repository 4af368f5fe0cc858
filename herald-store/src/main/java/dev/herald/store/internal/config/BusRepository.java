package dev.herald.store.internal.config;

import dev.herald.core.config.BusSpecs;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import dev.herald.store.Bus;
import dev.herald.store.StoreUnavailableException;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.Pages;
import dev.herald.store.internal.db.Sql;
import dev.herald.store.internal.db.SqlErrors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code buses} table. Stateless apart from its collaborators; thread-safe as the {@link
 * Database} is.
 */
final class BusRepository {
  private static final Logger log = LoggerFactory.getLogger(BusRepository.class);

  /** Attempts to create one bus when concurrent creations keep taking the chosen ordinal. */
  static final int MAX_CREATE_ATTEMPTS = 50;

  private static final String COLUMNS =
      "name, ordinal, description, archive_retention_days, version, created_at, updated_at,"
          + " changed_by";
  private static final String INSERT =
      "INSERT INTO buses (name, ordinal, description, version, created_at, updated_at,"
          + " changed_by) VALUES (?, ?, ?, 1, ?, ?, 'herald') ON CONFLICT (name) DO NOTHING";
  private static final String FIRST_GAP =
      "SELECT MIN(b.ordinal) + 1 FROM buses b WHERE b.ordinal < "
          + Bus.MAX_ORDINAL
          + " AND NOT EXISTS (SELECT 1 FROM buses n WHERE n.ordinal = b.ordinal + 1)";

  private static final String CREATE =
      "INSERT INTO buses (name, ordinal, description, archive_retention_days, version, created_at,"
          + " updated_at, changed_by) VALUES (?, ?, ?, ?, 1, ?, ?, ?)";
  private static final String UPDATE =
      "UPDATE buses SET description = ?, archive_retention_days = ?, version = version + 1,"
          + " updated_at = ?, changed_by = ? WHERE name = ? AND version = ?";

  private final Database db;
  private final InstantSource clock;

  /** The stored bus, and whether this call created it. */
  private record Ensured(Bus bus, boolean created) {}

  BusRepository(Database db, InstantSource clock) {
    this.db = db;
    this.clock = clock;
  }

  Optional<Bus> byName(String name) throws SQLException {
    return db.read(c -> find(c, name));
  }

  Optional<Bus> byOrdinal(int ordinal) throws SQLException {
    return db.read(
        c ->
            Sql.first(
                c,
                "SELECT " + COLUMNS + " FROM buses WHERE ordinal = ?",
                s -> s.setInt(1, ordinal),
                BusRepository::toBus));
  }

  List<Bus> all() throws SQLException {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT " + COLUMNS + " FROM buses ORDER BY name",
                Sql.none(),
                BusRepository::toBus));
  }

  /**
   * Returns the bus, creating it with the next free ordinal when missing. Another writer (a second
   * Herald instance on the same PostgreSQL) may take that ordinal first: the unique violation rolls
   * the attempt back and the next attempt picks a new ordinal.
   */
  Bus ensure(String name, String description) throws SQLException {
    Optional<Bus> existing = byName(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    for (int attempt = 1; ; attempt++) {
      try {
        Ensured ensured = db.write(c -> createIfMissing(c, name, description));
        if (ensured.created()) {
          log.info("bus {} created with ordinal {}", name, ensured.bus().ordinal());
        }
        return ensured.bus();
      } catch (SQLException e) {
        if (attempt >= MAX_CREATE_ATTEMPTS || !SqlErrors.isUniqueViolation(e)) {
          throw e;
        }
        log.debug("bus {}: ordinal taken concurrently, retrying (attempt {})", name, attempt);
        pause(attempt);
      }
    }
  }

  /**
   * Creates the bus with the next free ordinal, or updates its description and retention; a
   * concurrent creation on another connection is retried by {@link Versions#write}.
   */
  Bus put(BusSpecs.BusSpec spec, OptionalLong ifMatch, String changedBy) throws SQLException {
    String what = what(spec.name());
    Bus bus = Versions.write(db, what, c -> putOnce(c, spec, ifMatch, changedBy));
    log.info(
        "{} stored at version {} (ordinal {}) by {}",
        what,
        bus.version(),
        bus.ordinal(),
        bus.changedBy().orElse("nobody named"));
    return bus;
  }

  private Bus putOnce(Connection c, BusSpecs.BusSpec spec, OptionalLong ifMatch, String changedBy)
      throws SQLException {
    String name = spec.name();
    Optional<Bus> existing = find(c, name);
    long current = existing.map(Bus::version).orElse(0L);
    Versions.checkIfMatch(what(name), ifMatch, current);
    long now = clock.millis();
    if (existing.isEmpty()) {
      int ordinal = nextFreeOrdinal(c);
      Sql.update(
          c,
          CREATE,
          s -> {
            s.setString(1, name);
            s.setInt(2, ordinal);
            s.setString(3, spec.description());
            s.setInt(4, spec.archiveRetentionDays());
            s.setLong(5, now);
            s.setLong(6, now);
            s.setString(7, Versions.changedBy(changedBy));
          });
    } else {
      int updated =
          Sql.update(
              c,
              UPDATE,
              s -> {
                s.setString(1, spec.description());
                s.setInt(2, spec.archiveRetentionDays());
                s.setLong(3, now);
                s.setString(4, Versions.changedBy(changedBy));
                s.setString(5, name);
                s.setLong(6, current);
              });
      Versions.requireUpdated(updated, what(name));
    }
    return find(c, name).orElseThrow(() -> new SQLException(what(name) + " missing after write"));
  }

  /** Deletes a bus that has no rules (its ordinal becomes free again). */
  void delete(String name, OptionalLong ifMatch) throws SQLException {
    Versions.write(db, what(name), c -> deleteOnce(c, name, ifMatch));
    log.info("{} deleted", what(name));
  }

  private static Void deleteOnce(Connection c, String name, OptionalLong ifMatch)
      throws SQLException {
    long current =
        Versions.current(c, "SELECT version FROM buses WHERE name = ?", s -> s.setString(1, name));
    Versions.checkIfMatch(what(name), ifMatch, current);
    if (current == 0) {
      throw new ConfigException.NotFound("BusNotFound", what(name) + " does not exist");
    }
    List<String> rules = RuleRepository.namesOf(c, name);
    if (!rules.isEmpty()) {
      throw new ConfigException.Conflict(
          "BusHasRules", what(name) + " still has rules " + String.join(", ", rules), rules);
    }
    Sql.update(c, "DELETE FROM buses WHERE name = ?", s -> s.setString(1, name));
    return null;
  }

  Page<Bus> page(int limit, Optional<String> after) throws SQLException {
    List<Bus> found =
        db.read(
            c ->
                Sql.list(
                    c,
                    "SELECT " + COLUMNS + " FROM buses WHERE name > ? ORDER BY name LIMIT ?",
                    s -> {
                      s.setString(1, Pages.start(after));
                      s.setInt(2, limit + 1);
                    },
                    BusRepository::toBus));
    return Pages.of(found, limit, Bus::name);
  }

  private static String what(String name) {
    return "bus '" + name + "'";
  }

  private Ensured createIfMissing(Connection c, String name, String description)
      throws SQLException {
    Optional<Bus> existing = find(c, name);
    if (existing.isPresent()) {
      return new Ensured(existing.get(), false);
    }
    int ordinal = nextFreeOrdinal(c);
    long now = clock.millis();
    int inserted =
        Sql.update(
            c,
            INSERT,
            s -> {
              s.setString(1, name);
              s.setInt(2, ordinal);
              s.setString(3, description);
              s.setLong(4, now);
              s.setLong(5, now);
            });
    Bus bus =
        find(c, name).orElseThrow(() -> new SQLException("bus " + name + " missing after insert"));
    return new Ensured(bus, inserted == 1);
  }

  /**
   * Counts up from the highest ordinal; fills gaps left by deleted buses only once 65535 is used.
   */
  private static int nextFreeOrdinal(Connection c) throws SQLException {
    int max =
        Sql.first(c, "SELECT MAX(ordinal) FROM buses", Sql.none(), BusRepository::intOrMinusOne)
            .orElse(-1);
    if (max < Bus.MAX_ORDINAL) {
      return max + 1;
    }
    boolean zeroTaken =
        Sql.first(c, "SELECT 1 FROM buses WHERE ordinal = 0", Sql.none(), r -> true).isPresent();
    if (!zeroTaken) {
      return 0;
    }
    int gap = Sql.first(c, FIRST_GAP, Sql.none(), BusRepository::intOrMinusOne).orElse(-1);
    if (gap < 0) {
      throw new StoreUnavailableException(
          "cannot create another bus: all " + (Bus.MAX_ORDINAL + 1) + " bus ordinals are in use");
    }
    return gap;
  }

  private static Optional<Bus> find(Connection c, String name) throws SQLException {
    return Sql.first(
        c,
        "SELECT " + COLUMNS + " FROM buses WHERE name = ?",
        s -> s.setString(1, name),
        BusRepository::toBus);
  }

  private static Bus toBus(ResultSet row) throws SQLException {
    return new Bus(
        row.getString("name"),
        row.getInt("ordinal"),
        row.getString("description"),
        row.getInt("archive_retention_days"),
        row.getLong("version"),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")),
        Optional.ofNullable(row.getString("changed_by")));
  }

  private static Integer intOrMinusOne(ResultSet row) throws SQLException {
    int value = row.getInt(1);
    return row.wasNull() ? -1 : value;
  }

  private static void pause(int attempt) {
    try {
      int boundMillis = Math.min(1 << Math.min(attempt, 7), 100); // exponential, full jitter
      Thread.sleep(ThreadLocalRandom.current().nextInt(1, 1 + boundMillis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while creating a bus", e);
    }
  }
}
