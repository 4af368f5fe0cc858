package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite, plus what only the embedded store does. */
class SqliteStateStoreTest extends StateStoreContract {
  @TempDir Path tempDir;

  @Override
  StoreConfig newConfig() {
    return StoreConfig.sqlite(tempDir.resolve("data"));
  }

  @Override
  String expectedKind() {
    return "sqlite";
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
