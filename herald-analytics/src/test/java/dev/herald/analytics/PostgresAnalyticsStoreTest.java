package dev.herald.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics contract on PostgreSQL, in a schema that already holds tables of another component
 * (as the state store's in cluster mode: herald-server's AnalyticsBesideStateStoreTest puts the
 * real one there), plus what only PostgreSQL needs: several Herald instances appending at once.
 */
class PostgresAnalyticsStoreTest extends AnalyticsStoreContract {
  /** A table of another component, so that the analytics history starts in a non-empty schema. */
  private static final String STATE_STORE_STAND_IN =
      "CREATE TABLE buses (name TEXT PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL)";

  private static TestPostgres server;

  @TempDir Path tempDir;
  private TestPostgres.Schema schema;

  @BeforeAll
  static void findServer() {
    server = TestPostgres.get();
  }

  @Override
  AnalyticsConfig newConfig() throws Exception {
    schema = server.createSchema();
    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      s.execute(STATE_STORE_STAND_IN);
    }
    return AnalyticsConfig.postgresql(tempDir, schema.jdbcUrl());
  }

  @Override
  String expectedKind() {
    return "postgresql";
  }

  @Override
  Connection rawConnection() throws Exception {
    return DriverManager.getConnection(schema.jdbcUrl());
  }

  @Override
  Instant instant(ResultSet row, int column) throws Exception {
    return row.getObject(column, OffsetDateTime.class).toInstant();
  }

  @Override
  void cleanUp() {
    schema.close();
  }

  @Test
  void itsTablesArePrefixedAndMigratedBesideOtherTables() throws Exception {
    store.prepare();
    append(row("a", "T", T0));
    List<String> tables = new ArrayList<>();
    try (Connection c = rawConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = current_schema() AND table_name LIKE 'analytics%'"
                    + " ORDER BY table_name")) {
      while (r.next()) {
        tables.add(r.getString(1));
      }
    }

    assertThat(tables)
        .containsExactly(
            "analytics_delivery_keys",
            "analytics_events",
            "analytics_minute_counts",
            "analytics_schema_history");
    try (Connection c = rawConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT version FROM analytics_schema_history WHERE type = 'BASELINE'")) {
      assertThat(r.next()).as("the history starts at a baseline beside the other tables").isTrue();
      assertThat(r.getString(1)).isEqualTo("0");
    }
  }

  @Test
  void twoInstancesAppendingTheSameKeysCountEachOnce() {
    try (AnalyticsStore other = AnalyticsStore.open(config, CLOCK)) {
      List<CompletableFuture<Boolean>> futures = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        AnalyticsRow row = row("shared-" + i, "T", T0);
        futures.add(store.submit(row));
        futures.add(other.submit(row));
      }

      long stored = futures.stream().map(CompletableFuture::join).filter(b -> b).count();

      assertThat(stored).isEqualTo(500);
      assertThat(firstMinuteTotals()).containsExactly(500L);
    }
  }
}
