package dev.herald.store;

import dev.herald.core.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL schema that runs the store's migrations once and is emptied between tests, so a test
 * class gets a fully migrated, empty schema per test without paying for every migration per test.
 *
 * <p>After migrating, it records the schema's shape (relations, triggers, functions, constraints)
 * and copies the rows the migrations wrote (the audit chain's head) into a seed schema. {@link
 * #reset()} then brings the schema back to that state:
 *
 * <ul>
 *   <li>partitions a test added (journal maintenance creates days) are dropped;
 *   <li>if the shape still differs (a test dropped a trigger, maintenance dropped a partition of
 *       the migration), the schema is dropped and migrated again from scratch;
 *   <li>otherwise every row of every table but Flyway's history is deleted (triggers off for the
 *       transaction, so the audit log's guard allows it), sequences restart, and the seed rows are
 *       put back.
 * </ul>
 *
 * <p>{@code DELETE}, not {@code TRUNCATE}: the tables hold a few rows after a test, and {@code
 * TRUNCATE} replaces the files of some hundred tables and indexes (partitions included), measured
 * 200–650 ms against 20–30 ms for the deletes on this machine.
 *
 * <p>The result is what a freshly migrated schema holds, checked by comparing shapes, not assumed.
 * Call {@link #reset()} only when no store is open on the schema. Not thread-safe: one test class
 * uses it from its test thread.
 */
final class MigratedPostgresSchema implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MigratedPostgresSchema.class);
  private static final String FLYWAY_HISTORY = "flyway_schema_history";

  private final TestPostgres server;
  private final Path dataDir;
  private TestPostgres.Schema schema;
  private TestPostgres.Schema seed;
  private List<String> shape;
  private List<String> tables;
  private List<String> seeded;
  private int resets;
  private int rebuilds;

  private MigratedPostgresSchema(TestPostgres server, Path dataDir) {
    this.server = server;
    this.dataDir = dataDir;
  }

  /** Creates a schema on {@code server} and migrates it; {@code dataDir} is the stores' one. */
  static MigratedPostgresSchema create(TestPostgres server, Path dataDir) {
    MigratedPostgresSchema migrated = new MigratedPostgresSchema(server, dataDir);
    migrated.build();
    return migrated;
  }

  /** The url of the schema (it selects it with {@code currentSchema}). */
  String jdbcUrl() {
    return schema.jdbcUrl();
  }

  /** Brings the schema back to freshly migrated and empty (see the class comment). */
  void reset() {
    resets++;
    try (Connection c = DriverManager.getConnection(schema.jdbcUrl())) {
      dropAddedPartitions(c);
      List<String> now = shapeOf(c);
      if (!now.equals(shape)) {
        log.info(
            "schema changed by the test (added {}, gone {}): migrating a new one",
            difference(now, shape),
            difference(shape, now));
        rebuilds++;
        dropSchemas();
        build();
        return;
      }
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL session_replication_role = replica");
        for (String table : tables) {
          s.execute("DELETE FROM " + table);
        }
        s.execute(
            "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false)"
                + " FROM pg_sequences WHERE schemaname = '"
                + schema.name()
                + "'");
        for (String table : seeded) {
          s.execute("INSERT INTO " + table + " SELECT * FROM " + seedCopy(table));
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reset schema " + schema.name() + ": " + e, e);
    }
  }

  /** Drops the schema and its seed copy. */
  @Override
  public void close() {
    log.info(
        "migrated schema reset {} times, {} of them migrated again from scratch", resets, rebuilds);
    dropSchemas();
  }

  private void dropSchemas() {
    schema.close();
    seed.close();
  }

  private void build() {
    schema = server.createSchema();
    seed = server.createSchema();
    try {
      migrateAndSnapshot();
    } catch (RuntimeException e) {
      dropSchemas(); // leave nothing behind on the shared server
      throw e;
    }
  }

  private void migrateAndSnapshot() {
    try (StateStore store = StateStore.open(StoreConfig.postgresql(dataDir, schema.jdbcUrl()))) {
      store.checkWritable();
    }
    try (Connection c = DriverManager.getConnection(schema.jdbcUrl());
        Statement s = c.createStatement()) {
      shape = shapeOf(c);
      tables = strings(c, TOP_LEVEL_TABLES).stream().map(this::qualified).toList();
      List<String> withRows = new ArrayList<>();
      for (String table : tables) {
        try (ResultSet any = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
          any.next();
          if (any.getBoolean(1)) {
            withRows.add(table);
          }
        }
      }
      for (String table : withRows) {
        s.execute("CREATE TABLE " + seedCopy(table) + " AS SELECT * FROM " + table);
      }
      seeded = withRows;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot snapshot schema " + schema.name() + ": " + e, e);
    }
  }

  private void dropAddedPartitions(Connection c) throws SQLException {
    List<String> partitions = strings(c, PARTITIONS);
    List<String> added =
        partitions.stream()
            .filter(p -> !shape.contains(relation(p, "r")))
            .map(this::qualified)
            .toList();
    if (!added.isEmpty()) {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE " + String.join(", ", added));
      }
    }
  }

  private List<String> shapeOf(Connection c) throws SQLException {
    return strings(c, SHAPE);
  }

  private List<String> strings(Connection c, String sql) throws SQLException {
    List<String> result = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      int parameters = s.getParameterMetaData().getParameterCount();
      for (int i = 1; i <= parameters; i++) {
        s.setString(i, schema.name());
      }
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          result.add(rows.getString(1));
        }
      }
    }
    return result;
  }

  private String qualified(String table) {
    return '"' + schema.name() + "\".\"" + table + '"';
  }

  private String seedCopy(String qualifiedTable) {
    String table = qualifiedTable.substring(qualifiedTable.lastIndexOf('.') + 1);
    return '"' + seed.name() + "\"." + table;
  }

  private static List<String> difference(List<String> these, List<String> those) {
    return these.stream().filter(e -> !those.contains(e)).toList();
  }

  private static String relation(String name, String kind) {
    return "relation " + name + " " + kind;
  }

  private static final String TOP_LEVEL_TABLES =
      "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
          + " AND c.relname <> '"
          + FLYWAY_HISTORY
          + "' ORDER BY c.relname";

  private static final String PARTITIONS =
      "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE n.nspname = ? AND c.relkind = 'r' AND c.relispartition ORDER BY c.relname";

  /** What tests may change besides rows: relations, triggers, functions, constraints. */
  private static final String SHAPE =
      Stream.of(
              "SELECT 'relation ' || c.relname || ' ' || c.relkind::text FROM pg_class c"
                  + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?",
              "SELECT 'trigger ' || t.tgname || ' on ' || c.relname || ' ' || t.tgenabled::text"
                  + " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                  + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                  + " WHERE n.nspname = ? AND NOT t.tgisinternal",
              "SELECT 'function ' || p.proname FROM pg_proc p"
                  + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ?",
              "SELECT 'constraint ' || o.conname || ' on ' || c.relname FROM pg_constraint o"
                  + " JOIN pg_class c ON c.oid = o.conrelid"
                  + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?")
          .collect(Collectors.joining(" UNION ALL ", "", " ORDER BY 1"));
}
