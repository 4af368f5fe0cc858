package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreConfigTest {
  @TempDir Path tempDir;

  @Test
  void sqliteConfigNamesHeraldDbInTheDataDir() {
    StoreConfig config = StoreConfig.sqlite(tempDir);

    assertThat(config.url()).isEmpty();
    assertThat(config.sqliteFile()).isEqualTo(tempDir.resolve("herald.db"));
  }

  @Test
  void postgresqlConfigKeepsItsUrl() {
    StoreConfig config = StoreConfig.postgresql(tempDir, "jdbc:postgresql://db:5432/herald");

    assertThat(config.url()).contains("jdbc:postgresql://db:5432/herald");
  }

  @Test
  void missingDataDirIsRejectedByName() {
    assertThatThrownBy(() -> new StoreConfig(null, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dataDir");
  }

  @Test
  void nullUrlIsRejectedByName() {
    assertThatThrownBy(() -> new StoreConfig(tempDir, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("url")
        .hasMessageContaining("Optional.empty()");
  }

  @Test
  void blankUrlIsRejectedByName() {
    assertThatThrownBy(() -> StoreConfig.postgresql(tempDir, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("url must not be blank");
  }

  @Test
  void nonPostgresqlUrlIsRejectedNamingTheFieldAndValueWithoutCredentials() {
    assertThatThrownBy(
            () -> StoreConfig.postgresql(tempDir, "jdbc:mysql://db/herald?password=secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("url must be a PostgreSQL JDBC url")
        .hasMessageContaining("jdbc:mysql://db/herald")
        .hasMessageNotContaining("secret");
  }

  @Test
  void toStringLeavesOutTheUrlQuery() {
    StoreConfig config =
        StoreConfig.postgresql(tempDir, "jdbc:postgresql://db/herald?user=u&password=secret");

    assertThat(config.toString()).contains("jdbc:postgresql://db/herald").doesNotContain("secret");
  }

  @Test
  void openingOnADataDirThatIsAFileFailsClearly() throws Exception {
    Path file = Files.writeString(tempDir.resolve("not-a-dir"), "x");

    assertThatThrownBy(() -> StateStore.open(StoreConfig.sqlite(file)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("data directory")
        .hasMessageContaining(file.toString());
  }

  @Test
  void openingAnUnreachablePostgresqlFailsClearly() {
    StoreConfig config =
        StoreConfig.postgresql(tempDir, "jdbc:postgresql://127.0.0.1:1/herald?password=secret");

    assertThatThrownBy(() -> StateStore.open(config))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("cannot connect to the PostgreSQL state store")
        .hasMessageContaining("127.0.0.1:1/herald")
        .hasMessageNotContaining("secret");
  }
}
