package dev.herald.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.analytics.AnalyticsConfig;
import dev.herald.analytics.AnalyticsRow;
import dev.herald.analytics.AnalyticsStore;
import dev.herald.core.testing.TestPostgres;
import dev.herald.store.StateStore;
import dev.herald.store.StoreConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode puts the analytics tables in the state store's PostgreSQL database: the two stores,
 * in two modules, migrate one schema each under a history of its own, and neither disturbs the
 * other.
 */
class AnalyticsBesideStateStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  @TempDir Path tempDir;

  @Test
  void analyticsTablesAreMigratedBesideTheStateStoresAndTheStateStoreStillOpens() throws Exception {
    try (TestPostgres.Schema schema = TestPostgres.get().createSchema()) {
      StateStore.open(StoreConfig.postgresql(tempDir, schema.jdbcUrl())).close();

      try (AnalyticsStore analytics =
          AnalyticsStore.open(
              AnalyticsConfig.postgresql(tempDir, schema.jdbcUrl()), InstantSource.system())) {
        AnalyticsRow row =
            new AnalyticsRow("k1", "e1", "default", "shop", "OrderPlaced", T0, T0, T0, "{}");
        assertThat(analytics.append(row, Instant.now().plusSeconds(60))).isTrue();
      }

      assertThat(tables(schema, "analytics%"))
          .containsExactly(
              "analytics_delivery_keys",
              "analytics_events",
              "analytics_minute_counts",
              "analytics_schema_history");
      assertThat(tables(schema, "flyway_schema_history")).containsExactly("flyway_schema_history");
      // the state store still opens: its migrations are untouched
      StateStore.open(StoreConfig.postgresql(tempDir, schema.jdbcUrl())).close();
    }
  }

  private static List<String> tables(TestPostgres.Schema schema, String like) throws Exception {
    List<String> tables = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(schema.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = current_schema() AND table_name LIKE '"
                    + like
                    + "' ORDER BY table_name")) {
      while (r.next()) {
        tables.add(r.getString(1));
      }
    }
    return tables;
  }
}
