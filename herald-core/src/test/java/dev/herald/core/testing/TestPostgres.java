package dev.herald.core.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A PostgreSQL server for tests, chosen once per JVM:
 *
 * <ol>
 *   <li>the machine's server at {@code 127.0.0.1:5432}, database {@code test}, user {@code
 *       postgres} or else {@code root} (trust authentication), when it answers within 2 seconds;
 *   <li>otherwise an embedded server (zonky {@code EmbeddedPostgres}), started once and stopped
 *       when the JVM exits.
 * </ol>
 *
 * <p>The system property {@code herald.test.postgres} forces the choice: {@code local} or {@code
 * embedded} ({@code auto}, the default, does the above).
 *
 * <p>Tests never share tables: each takes a fresh schema with {@link #createSchema()}, whose JDBC
 * url selects it ({@code currentSchema}), and closes it to drop it. Self-contained (JDBC and zonky
 * only): herald-core's test-jar carries it to the modules with PostgreSQL tests (store, analytics,
 * server), who bring the driver and zonky; it is test code, so core's own code stays free of JDBC.
 * Thread-safe.
 */
public final class TestPostgres {
  private static final List<String> LOCAL_URLS =
      List.of(
          "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
          "jdbc:postgresql://127.0.0.1:5432/test?user=root");
  private static final String PROBE_OPTIONS = "connectTimeout=2&loginTimeout=2&socketTimeout=10";

  private static TestPostgres shared; // guarded by TestPostgres.class

  private final String baseUrl;
  private final String description;

  /** A schema of its own for one test; closing it drops the schema and everything in it. */
  public record Schema(String name, String jdbcUrl, TestPostgres server) implements AutoCloseable {
    @Override
    public void close() {
      server.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }

  private TestPostgres(String baseUrl, String description) {
    this.baseUrl = baseUrl;
    this.description = description;
  }

  /** The server of this JVM, found or started on first use. */
  public static synchronized TestPostgres get() {
    if (shared == null) {
      String mode = System.getProperty("herald.test.postgres", "auto").toLowerCase(Locale.ROOT);
      Optional<TestPostgres> local = mode.equals("embedded") ? Optional.empty() : findLocal();
      if (local.isEmpty() && mode.equals("local")) {
        throw new IllegalStateException("herald.test.postgres=local but 127.0.0.1:5432 answers no");
      }
      shared = local.orElseGet(TestPostgres::startEmbedded);
    }
    return shared;
  }

  /** Where the server comes from, for test logs: "local 127.0.0.1:5432 ..." or "embedded ...". */
  public String description() {
    return description;
  }

  /** A JDBC url (with user) of the server's test database, without a schema selected. */
  public String baseUrl() {
    return baseUrl;
  }

  /** Creates a fresh, uniquely named schema and returns a url that selects it. */
  public Schema createSchema() {
    String name =
        "herald_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    execute("CREATE SCHEMA " + name);
    return new Schema(name, withParameters(baseUrl, "currentSchema=" + name), this);
  }

  private void execute(String sql) {
    try (Connection connection = DriverManager.getConnection(baseUrl);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("'" + sql + "' failed on " + description + ": " + e, e);
    }
  }

  private static Optional<TestPostgres> findLocal() {
    for (String url : LOCAL_URLS) {
      try (Connection connection = DriverManager.getConnection(withParameters(url, PROBE_OPTIONS));
          Statement statement = connection.createStatement()) {
        statement.execute("SELECT 1");
        return Optional.of(new TestPostgres(url, "local server " + url));
      } catch (SQLException e) {
        // not there, or not this user: try the next candidate
      }
    }
    return Optional.empty();
  }

  private static TestPostgres startEmbedded() {
    try {
      EmbeddedPostgres server = EmbeddedPostgres.start();
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> closeQuietly(server), "test-postgres-stop"));
      String url = server.getJdbcUrl("postgres", "postgres");
      return new TestPostgres(url, "embedded server on port " + server.getPort());
    } catch (IOException e) {
      throw new UncheckedIOException("no local PostgreSQL and the embedded one did not start", e);
    }
  }

  private static String withParameters(String url, String parameters) {
    return url + (url.contains("?") ? "&" : "?") + parameters;
  }

  private static void closeQuietly(EmbeddedPostgres server) {
    try {
      server.close();
    } catch (IOException e) {
      // the JVM is exiting
    }
  }
}
