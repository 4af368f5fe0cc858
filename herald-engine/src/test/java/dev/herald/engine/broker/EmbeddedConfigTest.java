package dev.herald.engine.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmbeddedConfigTest {

  @Test
  void defaultsToNoFsyncAndTwoMebibyteRecords() {
    EmbeddedConfig config = EmbeddedConfig.of(Path.of("herald-data"));

    assertThat(config.fsync()).isFalse();
    assertThat(config.messageMaxBytes()).isEqualTo(2 * 1024 * 1024);
    assertThat(config.dataDir()).isAbsolute().endsWithRaw(Path.of("herald-data"));
  }

  @Test
  void rejectsARecordLimitOutsideItsBoundsNamingFieldAndValue() {
    Path dir = Path.of("herald-data");

    assertThatThrownBy(() -> new EmbeddedConfig(dir, false, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("messageMaxBytes")
        .hasMessageContaining("1000");
    assertThatThrownBy(() -> EmbeddedConfig.of(dir).withMessageMaxBytes(32 * 1024 * 1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("messageMaxBytes");
  }

  @Test
  void requiresADataDir() {
    assertThatThrownBy(() -> new EmbeddedConfig(null, false, 2 * 1024 * 1024))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("dataDir");
  }
}
