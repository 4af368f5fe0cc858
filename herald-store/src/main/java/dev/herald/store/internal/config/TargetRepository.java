package dev.herald.store.internal.config;

import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.secret.SecretBox;
import dev.herald.store.Stored;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.Pages;
import dev.herald.store.internal.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code targets} table (see {@link TargetRows} for how secrets are kept). Stateless apart from
 * its collaborators; thread-safe as the {@link Database} is.
 */
final class TargetRepository {
  private static final Logger log = LoggerFactory.getLogger(TargetRepository.class);

  private static final String SELECT = "SELECT " + TargetRows.COLUMNS + " FROM targets";
  private static final String VERSION = "SELECT version FROM targets WHERE name = ?";
  private static final String INSERT =
      "INSERT INTO targets ("
          + TargetRows.VALUE_COLUMNS
          + ", name, version, created_at, updated_at, changed_by) VALUES ("
          + "?, ".repeat(TargetRows.VALUE_COUNT)
          + "?, 1, ?, ?, ?)";
  private static final String UPDATE =
      "UPDATE targets SET "
          + TargetRows.VALUE_COLUMNS.replace(",", " = ?,")
          + " = ?, version = version + 1, updated_at = ?, changed_by = ? WHERE name = ? AND"
          + " version = ?";
  private static final String USERS =
      "SELECT bus, rule FROM rule_targets WHERE target = ? ORDER BY bus, rule";

  private final Database db;
  private final InstantSource clock;
  private final TargetRows rows;

  TargetRepository(Database db, InstantSource clock, SecretBox secrets) {
    this.db = db;
    this.clock = clock;
    this.rows = new TargetRows(secrets);
  }

  Stored<TargetSpec> put(TargetSpec spec, OptionalLong ifMatch, String changedBy)
      throws SQLException {
    TargetRows.Sealed sealed = rows.seal(spec); // before the write: the writer thread stays lean
    String what = what(spec.name());
    Stored<TargetSpec> stored =
        Versions.write(db, what, c -> putOnce(c, spec, sealed, ifMatch, changedBy));
    log.info(
        "{} stored at version {} by {}",
        what,
        stored.version(),
        stored.changedBy().orElse("nobody named"));
    return stored;
  }

  private Stored<TargetSpec> putOnce(
      Connection c,
      TargetSpec spec,
      TargetRows.Sealed sealed,
      OptionalLong ifMatch,
      String changedBy)
      throws SQLException {
    String name = spec.name();
    long current = Versions.current(c, VERSION, s -> s.setString(1, name));
    Versions.checkIfMatch(what(name), ifMatch, current);
    long now = clock.millis();
    int next = TargetRows.VALUE_COUNT + 1;
    if (current == 0) {
      Sql.update(
          c,
          INSERT,
          s -> {
            TargetRows.bind(s, spec, sealed);
            s.setString(next, name);
            s.setLong(next + 1, now);
            s.setLong(next + 2, now);
            s.setString(next + 3, Versions.changedBy(changedBy));
          });
    } else {
      int updated =
          Sql.update(
              c,
              UPDATE,
              s -> {
                TargetRows.bind(s, spec, sealed);
                s.setLong(next, now);
                s.setString(next + 1, Versions.changedBy(changedBy));
                s.setString(next + 2, name);
                s.setLong(next + 3, current);
              });
      Versions.requireUpdated(updated, what(name));
    }
    return find(c, name).orElseThrow(() -> new SQLException(what(name) + " missing after write"));
  }

  Optional<Stored<TargetSpec>> byName(String name) throws SQLException {
    return db.read(c -> find(c, name));
  }

  Page<Stored<TargetSpec>> page(int limit, Optional<String> after) throws SQLException {
    List<Stored<TargetSpec>> found =
        db.read(
            c ->
                Sql.list(
                    c,
                    SELECT + " WHERE name > ? ORDER BY name LIMIT ?",
                    s -> {
                      s.setString(1, Pages.start(after));
                      s.setInt(2, limit + 1);
                    },
                    rows::map));
    return Pages.of(found, limit, t -> t.spec().name());
  }

  List<Stored<TargetSpec>> all() throws SQLException {
    return db.read(c -> Sql.list(c, SELECT + " ORDER BY name", Sql.none(), rows::map));
  }

  void delete(String name, OptionalLong ifMatch) throws SQLException {
    Versions.write(db, what(name), c -> deleteOnce(c, name, ifMatch));
    log.info("{} deleted", what(name));
  }

  private Void deleteOnce(Connection c, String name, OptionalLong ifMatch) throws SQLException {
    long current = Versions.current(c, VERSION, s -> s.setString(1, name));
    Versions.checkIfMatch(what(name), ifMatch, current);
    if (current == 0) {
      throw new ConfigException.NotFound("TargetNotFound", what(name) + " does not exist");
    }
    List<String> users =
        Sql.list(
            c,
            USERS,
            s -> s.setString(1, name),
            row -> row.getString("bus") + "/" + row.getString("rule"));
    if (!users.isEmpty()) {
      throw new ConfigException.Conflict(
          "TargetInUse",
          what(name) + " is still named by rules " + String.join(", ", users),
          users);
    }
    Sql.update(c, "DELETE FROM targets WHERE name = ?", s -> s.setString(1, name));
    return null;
  }

  private Optional<Stored<TargetSpec>> find(Connection c, String name) throws SQLException {
    return Sql.first(c, SELECT + " WHERE name = ?", s -> s.setString(1, name), rows::map);
  }

  private static String what(String name) {
    return "target '" + name + "'";
  }
}
