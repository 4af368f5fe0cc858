package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract on SQLite, plus what only the embedded store does. The class migrates one
 * store file and every test starts on a copy of it; {@link
 * #migratesAnEmptyFileToTheLatestVersion()} runs every migration from scratch.
 */
class SqliteStateStoreTest extends StateStoreContract {
  @TempDir static Path migrated;
  @TempDir Path tempDir;

  @BeforeAll
  static void migrateOneFile() {
    try (StateStore template = StateStore.open(StoreConfig.sqlite(migrated))) {
      template.checkWritable();
    }
  }

  @Override
  StoreConfig newConfig() throws IOException {
    Path data = Files.createDirectories(tempDir.resolve("data"));
    try (Stream<Path> files = Files.list(migrated)) {
      for (Path file : files.toList()) {
        Files.copy(file, data.resolve(file.getFileName()));
      }
    }
    return StoreConfig.sqlite(data);
  }

  @Override
  String expectedKind() {
    return "sqlite";
  }

  @Test
  void migratesAnEmptyFileToTheLatestVersion() throws Exception {
    Path fresh = tempDir.resolve("fresh");
    try (StateStore store = StateStore.open(StoreConfig.sqlite(fresh))) {
      store.checkWritable();
      store.ensureBus("orders", "");
      assertThat(store.kind()).isEqualTo("sqlite");
    }

    assertThat(applied(fresh))
        .isEqualTo(MigrationFiles.versions("sqlite"))
        .isEqualTo(applied(migrated));
  }

  private static List<String> applied(Path dataDir) throws Exception {
    try (Connection c =
        DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("herald.db"))) {
      return MigrationFiles.applied(c);
    }
  }

  @Test
  void storesItsDataInHeraldDbUnderTheDataDirInWalMode() throws Exception {
    store.ensureBus("orders", "");
    Path file = tempDir.resolve("data").resolve("herald.db");

    assertThat(file).isRegularFile();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement();
        ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
      assertThat(mode.next()).isTrue();
      assertThat(mode.getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void createsMissingDataDirectories() {
    Path nested = tempDir.resolve("a").resolve("b").resolve("c");

    try (StateStore nestedStore = StateStore.open(StoreConfig.sqlite(nested))) {
      nestedStore.checkWritable();
    }

    assertThat(Files.exists(nested.resolve("herald.db"))).isTrue();
  }
}
