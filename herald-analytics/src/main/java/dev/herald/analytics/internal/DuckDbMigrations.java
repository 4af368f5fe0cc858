package dev.herald.analytics.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the DuckDB analytics schema up to date: the scripts of {@code db/analytics/duckdb}, in
 * version order, each in one transaction with its row in {@code analytics_schema_version}. (Flyway
 * does not support DuckDB; one process owns the file, so no lock is needed.) Stateless.
 */
final class DuckDbMigrations {
  private static final Logger log = LoggerFactory.getLogger(DuckDbMigrations.class);
  private static final String ROOT = "db/analytics/duckdb/";

  /** The scripts, oldest first; {@code V<n>__} gives the version. */
  static final List<String> SCRIPTS =
      List.of(
          "V1__delivery_keys_events_minute_counts.sql", "V2__keys_and_counts_without_indexes.sql");

  private DuckDbMigrations() {}

  /** Applies the scripts newer than the stored version, on a connection in auto-commit mode. */
  static void apply(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS analytics_schema_version (version INTEGER PRIMARY KEY,"
              + " script VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)");
    }
    int current = currentVersion(connection);
    for (String script : SCRIPTS) {
      int version = Integer.parseInt(script.substring(1, script.indexOf("__")));
      if (version > current) {
        run(connection, version, script);
        log.info("analytics schema migrated to version {} ({})", version, script);
      }
    }
  }

  private static int currentVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT COALESCE(MAX(version), 0) FROM analytics_schema_version")) {
      row.next();
      return row.getInt(1);
    }
  }

  private static void run(Connection connection, int version, String script) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN TRANSACTION");
      try {
        for (String sql : statements(read(script))) {
          statement.execute(sql);
        }
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO analytics_schema_version (version, script) VALUES (?, ?)")) {
          insert.setInt(1, version);
          insert.setString(2, script);
          insert.executeUpdate();
        }
        statement.execute("COMMIT");
      } catch (SQLException e) {
        statement.execute("ROLLBACK");
        throw e;
      }
    }
  }

  /** The statements of a script: split at semicolons, comment lines dropped. */
  static List<String> statements(String script) {
    StringBuilder code = new StringBuilder();
    for (String line : script.lines().toList()) {
      if (!line.strip().startsWith("--")) {
        code.append(line).append('\n');
      }
    }
    return java.util.Arrays.stream(code.toString().split(";"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static String read(String script) {
    try (InputStream in =
        DuckDbMigrations.class.getClassLoader().getResourceAsStream(ROOT + script)) {
      if (in == null) {
        throw new IllegalStateException("migration " + ROOT + script + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
