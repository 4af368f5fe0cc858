package dev.herald.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The store's migration files and what a database says it applied: for the tests that migrate an
 * empty database from scratch. Stateless.
 */
final class MigrationFiles {
  private static final Pattern NAME = Pattern.compile("V([0-9_]+)__.+\\.sql");

  private MigrationFiles() {}

  /**
   * The versions of the migrations for {@code kind} ("sqlite" or "postgresql"), as Flyway writes
   * them ("1.1" for {@code V1_1__...}), in order.
   */
  static List<String> versions(String kind) {
    List<String> versions = new ArrayList<>();
    for (String folder : List.of("common", kind)) {
      try (Stream<Path> files = Files.list(folder(folder))) {
        files.forEach(
            file -> {
              Matcher name = NAME.matcher(file.getFileName().toString());
              if (name.matches()) {
                versions.add(name.group(1).replace('_', '.'));
              }
            });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    versions.sort(Comparator.comparing(MigrationFiles::parts, Arrays::compare));
    return versions;
  }

  /** The versions of Flyway's history on {@code connection}, in the order applied. */
  static List<String> applied(Connection connection) throws SQLException {
    List<String> applied = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT version, success FROM flyway_schema_history ORDER BY installed_rank")) {
      while (rows.next()) {
        applied.add(rows.getString(1) + (rows.getBoolean(2) ? "" : " (failed)"));
      }
    }
    return applied;
  }

  private static int[] parts(String version) {
    return Arrays.stream(version.split("\\.")).mapToInt(Integer::parseInt).toArray();
  }

  private static Path folder(String name) {
    String resource = "db/migration/" + name;
    URL url = MigrationFiles.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new IllegalStateException("no migration folder " + resource + " on the classpath");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("migration folder " + url + " is not a file path", e);
    }
  }
}
