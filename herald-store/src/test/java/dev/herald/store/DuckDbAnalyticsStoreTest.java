package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
    assertThat(file).doesNotExist();

    append(row("a", "T", T0));

    assertThat(file).isRegularFile();
  }

  @Test
  void closingAStoreThatNeverOpenedCreatesNothing() {
    store.close();

    assertThat(tempDir.resolve("data")).doesNotExist();
  }
}
