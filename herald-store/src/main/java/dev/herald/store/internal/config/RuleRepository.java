package dev.herald.store.internal.config;

import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.config.RuleSpecs;
import dev.herald.store.Stored;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.Pages;
import dev.herald.store.internal.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rules} table and, written with it in one transaction, {@code rule_targets}: the
 * targets each rule names, whose foreign keys keep rules and targets consistent. Stateless apart
 * from its collaborators; thread-safe as the {@link Database} is.
 */
final class RuleRepository {
  private static final Logger log = LoggerFactory.getLogger(RuleRepository.class);

  private static final String COLUMNS =
      "bus, name, pattern, enabled, description, targets, version, created_at, updated_at,"
          + " changed_by";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM rules";
  private static final String VERSION = "SELECT version FROM rules WHERE bus = ? AND name = ?";
  private static final String INSERT =
      "INSERT INTO rules (pattern, enabled, description, targets, bus, name, version, created_at,"
          + " updated_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)";
  private static final String UPDATE =
      "UPDATE rules SET pattern = ?, enabled = ?, description = ?, targets = ?,"
          + " version = version + 1, updated_at = ?, changed_by = ? WHERE bus = ? AND name = ? AND"
          + " version = ?";

  private final Database db;
  private final InstantSource clock;

  /** A rule to write: the spec, its targets as stored JSON, and the distinct names, sorted. */
  private record Write(
      RuleSpec spec, String targetsJson, List<String> targetNames, String changedBy) {}

  RuleRepository(Database db, InstantSource clock) {
    this.db = db;
    this.clock = clock;
  }

  Stored<RuleSpec> put(RuleSpec spec, OptionalLong ifMatch, String changedBy) throws SQLException {
    Write write =
        new Write(
            spec,
            RuleSpecs.targetsToJson(spec.targets()),
            spec.targetNames().stream().distinct().sorted().toList(),
            changedBy);
    String what = what(spec.bus(), spec.name());
    Stored<RuleSpec> stored = Versions.write(db, what, c -> putOnce(c, write, ifMatch));
    log.info(
        "{} stored at version {} by {}",
        what,
        stored.version(),
        stored.changedBy().orElse("nobody named"));
    return stored;
  }

  private Stored<RuleSpec> putOnce(Connection c, Write write, OptionalLong ifMatch)
      throws SQLException {
    String bus = write.spec().bus();
    String name = write.spec().name();
    requireBus(c, bus);
    long current =
        Versions.current(
            c,
            VERSION,
            s -> {
              s.setString(1, bus);
              s.setString(2, name);
            });
    Versions.checkIfMatch(what(bus, name), ifMatch, current);
    requireTargets(c, write);
    if (current == 0) {
      insert(c, write);
    } else {
      Versions.requireUpdated(update(c, write, current), what(bus, name));
    }
    writeRuleTargets(c, bus, name, write.targetNames());
    return find(c, bus, name)
        .orElseThrow(() -> new SQLException(what(bus, name) + " missing after write"));
  }

  private void insert(Connection c, Write write) throws SQLException {
    long now = clock.millis();
    Sql.update(
        c,
        INSERT,
        s -> {
          bindValues(s, write);
          s.setString(5, write.spec().bus());
          s.setString(6, write.spec().name());
          s.setLong(7, now);
          s.setLong(8, now);
          s.setString(9, Versions.changedBy(write.changedBy()));
        });
  }

  private int update(Connection c, Write write, long current) throws SQLException {
    long now = clock.millis();
    return Sql.update(
        c,
        UPDATE,
        s -> {
          bindValues(s, write);
          s.setLong(5, now);
          s.setString(6, Versions.changedBy(write.changedBy()));
          s.setString(7, write.spec().bus());
          s.setString(8, write.spec().name());
          s.setLong(9, current);
        });
  }

  private static void bindValues(PreparedStatement s, Write write) throws SQLException {
    s.setString(1, write.spec().pattern());
    s.setBoolean(2, write.spec().enabled());
    s.setString(3, write.spec().description());
    s.setString(4, write.targetsJson());
  }

  private static void requireBus(Connection c, String bus) throws SQLException {
    if (Sql.first(c, "SELECT 1 FROM buses WHERE name = ?", s -> s.setString(1, bus), r -> true)
        .isEmpty()) {
      throw new ConfigException.NotFound("BusNotFound", "bus '" + bus + "' does not exist");
    }
  }

  /** Fails naming every target of the rule that does not exist, by name. */
  private static void requireTargets(Connection c, Write write) throws SQLException {
    List<String> names = write.targetNames();
    if (names.isEmpty()) {
      return;
    }
    String sql = "SELECT name FROM targets WHERE name IN (" + "?, ".repeat(names.size() - 1) + "?)";
    List<String> found =
        Sql.list(
            c,
            sql,
            s -> {
              for (int i = 0; i < names.size(); i++) {
                s.setString(i + 1, names.get(i));
              }
            },
            row -> row.getString(1));
    List<String> missing = names.stream().filter(n -> !found.contains(n)).toList();
    if (!missing.isEmpty()) {
      throw new ConfigException.Conflict(
          "UnknownTarget",
          what(write.spec().bus(), write.spec().name())
              + " names targets that do not exist: "
              + String.join(", ", missing),
          missing);
    }
  }

  private static void writeRuleTargets(Connection c, String bus, String rule, List<String> targets)
      throws SQLException {
    Sql.update(
        c,
        "DELETE FROM rule_targets WHERE bus = ? AND rule = ?",
        s -> {
          s.setString(1, bus);
          s.setString(2, rule);
        });
    if (targets.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        c.prepareStatement("INSERT INTO rule_targets (bus, rule, target) VALUES (?, ?, ?)")) {
      for (String target : targets) {
        insert.setString(1, bus);
        insert.setString(2, rule);
        insert.setString(3, target);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  Optional<Stored<RuleSpec>> byName(String bus, String name) throws SQLException {
    return db.read(c -> find(c, bus, name));
  }

  /** A page of the rules of {@code bus}; the bus must exist. */
  Page<Stored<RuleSpec>> page(String bus, int limit, Optional<String> after) throws SQLException {
    List<Stored<RuleSpec>> found =
        db.read(
            c -> {
              requireBus(c, bus);
              return Sql.list(
                  c,
                  SELECT + " WHERE bus = ? AND name > ? ORDER BY name LIMIT ?",
                  s -> {
                    s.setString(1, bus);
                    s.setString(2, Pages.start(after));
                    s.setInt(3, limit + 1);
                  },
                  RuleRepository::toRule);
            });
    return Pages.of(found, limit, r -> r.spec().name());
  }

  /** Every rule of {@code bus}, by name; empty when the bus does not exist. */
  List<Stored<RuleSpec>> all(String bus) throws SQLException {
    return db.read(
        c ->
            Sql.list(
                c,
                SELECT + " WHERE bus = ? ORDER BY name",
                s -> s.setString(1, bus),
                RuleRepository::toRule));
  }

  /** The names of the rules of {@code bus}, sorted. */
  static List<String> namesOf(Connection c, String bus) throws SQLException {
    return Sql.list(
        c,
        "SELECT name FROM rules WHERE bus = ? ORDER BY name",
        s -> s.setString(1, bus),
        row -> row.getString(1));
  }

  void delete(String bus, String name, OptionalLong ifMatch) throws SQLException {
    Versions.write(db, what(bus, name), c -> deleteOnce(c, bus, name, ifMatch));
    log.info("{} deleted", what(bus, name));
  }

  private Void deleteOnce(Connection c, String bus, String name, OptionalLong ifMatch)
      throws SQLException {
    Sql.Binder key =
        s -> {
          s.setString(1, bus);
          s.setString(2, name);
        };
    long current = Versions.current(c, VERSION, key);
    Versions.checkIfMatch(what(bus, name), ifMatch, current);
    if (current == 0) {
      throw new ConfigException.NotFound(
          "RuleNotFound", "bus '" + bus + "' has no rule '" + name + "'");
    }
    Sql.update(c, "DELETE FROM rules WHERE bus = ? AND name = ?", key); // rule_targets cascade
    return null;
  }

  private static Optional<Stored<RuleSpec>> find(Connection c, String bus, String name)
      throws SQLException {
    return Sql.first(
        c,
        SELECT + " WHERE bus = ? AND name = ?",
        s -> {
          s.setString(1, bus);
          s.setString(2, name);
        },
        RuleRepository::toRule);
  }

  private static Stored<RuleSpec> toRule(ResultSet row) throws SQLException {
    RuleSpec spec =
        new RuleSpec(
            row.getString("bus"),
            row.getString("name"),
            row.getString("pattern"),
            row.getBoolean("enabled"),
            row.getString("description"),
            RuleSpecs.targetsFromJson(row.getString("targets")));
    return new Stored<>(
        spec,
        row.getLong("version"),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")),
        Optional.ofNullable(row.getString("changed_by")));
  }

  private static String what(String bus, String name) {
    return "rule '" + name + "' of bus '" + bus + "'";
  }
}
