package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store contract on PostgreSQL (see {@link TestPostgres} for which server). The class migrates
 * one schema and every test gets it freshly emptied ({@link MigratedPostgresSchema}); {@link
 * #migratesAnEmptySchemaToTheLatestVersion()} runs every migration from scratch. Plus what only
 * PostgreSQL needs.
 */
class PostgresStateStoreTest extends StateStoreContract {
  private static final Logger log = LoggerFactory.getLogger(PostgresStateStoreTest.class);
  private static TestPostgres server;
  private static MigratedPostgresSchema schema;

  @TempDir static Path migrationDir;
  @TempDir Path tempDir;

  @BeforeAll
  static void migrateOneSchema() {
    server = TestPostgres.get();
    log.info("PostgreSQL for the store contract: {}", server.description());
    schema = MigratedPostgresSchema.create(server, migrationDir);
  }

  @AfterAll
  static void dropTheSchema() {
    schema.close();
  }

  @Override
  StoreConfig newConfig() {
    return StoreConfig.postgresql(tempDir, schema.jdbcUrl());
  }

  @Override
  String expectedKind() {
    return "postgresql";
  }

  @Override
  void cleanUp() {
    schema.reset();
  }

  @Test
  void migratesAnEmptySchemaToTheLatestVersion() throws Exception {
    try (TestPostgres.Schema fresh = server.createSchema()) {
      try (StateStore migrated =
          StateStore.open(StoreConfig.postgresql(tempDir, fresh.jdbcUrl()))) {
        migrated.checkWritable();
        migrated.ensureBus("orders", "");
        assertThat(migrated.kind()).isEqualTo("postgresql");
      }

      assertThat(appliedMigrations(fresh.jdbcUrl()))
          .isEqualTo(MigrationFiles.versions("postgresql"))
          .isEqualTo(appliedMigrations(schema.jdbcUrl()));
    }
  }

  private static List<String> appliedMigrations(String jdbcUrl) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
      return MigrationFiles.applied(c);
    }
  }

  @Test
  void namesAndIdsSortByteByByteWhateverTheDatabaseCollation() throws Exception {
    List<String> collations = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(schema.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT table_name || '.' || column_name || '='"
                    + " || COALESCE(collation_name, 'default')"
                    + " FROM information_schema.columns WHERE table_schema = current_schema()"
                    + " AND table_name || '.' || column_name IN ('buses.name', 'targets.name',"
                    + " 'rules.bus', 'rules.name', 'rule_targets.bus', 'rule_targets.rule',"
                    + " 'rule_targets.target', 'dead_letters.id', 'dead_letters.target')")) {
      while (rows.next()) {
        collations.add(rows.getString(1));
      }
    }

    assertThat(collations)
        .containsExactlyInAnyOrder(
            "buses.name=C",
            "targets.name=C",
            "rules.bus=C",
            "rules.name=C",
            "rule_targets.bus=C",
            "rule_targets.rule=C",
            "rule_targets.target=C",
            "dead_letters.id=C",
            "dead_letters.target=C");
  }
}
