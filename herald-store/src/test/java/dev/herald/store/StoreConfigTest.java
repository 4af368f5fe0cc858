package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.secret.SecretBox;
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
  void configsWithoutAKeyGetARandomOneEach() {
    StoreConfig one = StoreConfig.sqlite(tempDir);
    StoreConfig two = StoreConfig.sqlite(tempDir);

    String sealed = one.secrets().seal("s3cret", "target:x");

    assertThat(one.secrets().open(sealed, "target:x")).isEqualTo("s3cret");
    assertThatThrownBy(() -> two.secrets().open(sealed, "target:x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aGivenKeyIsKeptAndWithSecretsReplacesIt() {
    SecretBox box = StoreConfig.randomSecrets();
    SecretBox other = StoreConfig.randomSecrets();

    StoreConfig config = StoreConfig.postgresql(tempDir, "jdbc:postgresql://db/herald", box);

    assertThat(config.secrets()).isSameAs(box);
    assertThat(StoreConfig.sqlite(tempDir, box).secrets()).isSameAs(box);
    assertThat(config.withSecrets(other).secrets()).isSameAs(other);
    assertThat(config.withSecrets(other).url()).isEqualTo(config.url());
  }

  @Test
  void missingSecretsAreRejectedByName() {
    assertThatThrownBy(() -> new StoreConfig(tempDir, Optional.empty(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secrets");
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
