package dev.herald.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analytics contract on DuckDB, plus what only the embedded store does. */
class DuckDbAnalyticsStoreTest extends AnalyticsStoreContract {
  @TempDir Path tempDir;

  @Override
  AnalyticsConfig newConfig() {
    return AnalyticsConfig.duckdb(tempDir.resolve("data"));
  }

  @Override
  String expectedKind() {
    return "duckdb";
  }

  @Override
  Connection rawConnection() throws Exception {
    return DriverManager.getConnection("jdbc:duckdb:" + config.duckdbFile());
  }

  @Override
  Instant instant(ResultSet row, int column) throws Exception {
    return row.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
  }

  @Test
  void opensNothingUntilFirstUseThenKeepsAnalyticsDuckdbInTheDataDir() {
    Path file = tempDir.resolve("data").resolve("analytics.duckdb");
    assertThat(store.purgeBefore(T0)).as("a purge does not open the store").isZero();
    assertThat(store.stats()).isEqualTo(AnalyticsStats.NONE);
    assertThat(file).doesNotExist();

    append(row("a", "T", T0));

    assertThat(file).isRegularFile();
  }

  @Test
  void aStoreOfSchemaVersion1KeepsItsKeysThroughTheMigration() throws Exception {
    store.close();
    Files.createDirectories(config.duckdbFile().getParent());
    String v1;
    try (InputStream in =
        getClass()
            .getClassLoader()
            .getResourceAsStream(
                "db/analytics/duckdb/V1__delivery_keys_events_minute_counts.sql")) {
      v1 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      for (String sql : v1.replaceAll("(?m)^--.*$", "").split(";", -1)) {
        if (!sql.isBlank()) {
          s.execute(sql);
        }
      }
      s.execute(
          "CREATE TABLE analytics_schema_version (version INTEGER PRIMARY KEY, script VARCHAR NOT"
              + " NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)");
      s.execute("INSERT INTO analytics_schema_version (version, script) VALUES (1, 'V1')");
      s.execute(
          "INSERT INTO analytics_delivery_keys VALUES ('kept', TIMESTAMP '2026-11-26 10:00:00')");
      s.execute(
          "INSERT INTO analytics_events VALUES ('kept', 'E', 'default', 's', 'T',"
              + " TIMESTAMP '2026-11-26 10:00:00', TIMESTAMP '2026-11-26 10:00:00.005',"
              + " TIMESTAMP '2026-11-26 10:00:00.020', '{}')");
      s.execute("INSERT INTO analytics_minute_counts VALUES ('default', 's', 'T', 29928120, 1)");
    }

    store = AnalyticsStore.open(config, CLOCK);
    AnalyticsRow again =
        new AnalyticsRow(
            "kept", "E", "default", "s", "T", T0, T0.plusMillis(5), T0.plusMillis(20), "{}");

    assertThat(append(again)).isFalse();
    assertThat(append(row("new", "T", T0))).isTrue();
    assertThat(firstMinuteTotals()).containsExactly(2L);
  }

  @Test
  void theCountsOfOneCellWrittenByManyBatchesAreMergedIntoOneRow() throws Exception {
    for (int i = 0; i < 3; i++) {
      append(row("cell-" + i, "T", T0.plusSeconds(i))); // a batch each: appends return after commit
    }
    append(row("other", "U", T0));
    store.close();

    try (Connection c = rawConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT detail_type, COUNT(*), SUM(events) FROM analytics_minute_counts"
                    + " GROUP BY detail_type ORDER BY detail_type")) {
      assertThat(r.next()).isTrue();
      assertThat(List.of(r.getString(1), r.getLong(2), r.getLong(3))).containsExactly("T", 1L, 3L);
      assertThat(r.next()).isTrue();
      assertThat(List.of(r.getString(1), r.getLong(2), r.getLong(3))).containsExactly("U", 1L, 1L);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void closingAStoreThatNeverOpenedCreatesNothing() {
    store.close();

    assertThat(tempDir.resolve("data")).doesNotExist();
  }
}
