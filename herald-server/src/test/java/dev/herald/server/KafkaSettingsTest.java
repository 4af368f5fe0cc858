package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
  private static final HeraldConfig EMBEDDED = HeraldConfig.embedded(Path.of("unused"));
  private static final HeraldConfig CLUSTER =
      new HeraldConfig(
          Path.of("unused"),
          "127.0.0.1",
          0,
          false,
          Optional.of("127.0.0.1:9092"),
          Optional.empty(),
          HeraldConfig.defaultBusPartitions(true),
          Optional.empty());

  @Test
  void embeddedKeepsOneLayoutAndFailsAppendsAfterTenSeconds() {
    KafkaSettings settings = KafkaSettings.of(EMBEDDED, Map.of());
    assertThat(settings.layout().busPartitions()).isEqualTo(4);
    assertThat(settings.layout().targetPartitions()).isEqualTo(4);
    assertThat(settings.ingestTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void clusterHasFewerTargetPartitionsAndOutwaitsABrokerFailover() {
    KafkaSettings settings = KafkaSettings.of(CLUSTER, Map.of());
    assertThat(settings.layout().busPartitions()).isEqualTo(12);
    assertThat(settings.layout().targetPartitions()).isEqualTo(6);
    assertThat(settings.ingestTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void readsEveryVariable() {
    KafkaSettings settings =
        KafkaSettings.of(
            CLUSTER,
            Map.of(
                "HERALD_TARGET_PARTITIONS", "2",
                "HERALD_REPLICATION_FACTOR", "3",
                "HERALD_MIN_INSYNC_REPLICAS", "2",
                "HERALD_INGEST_TIMEOUT_SECONDS", "45"));
    assertThat(settings.layout().targetPartitions()).isEqualTo(2);
    assertThat(settings.layout().replicationFactor()).contains(3);
    assertThat(settings.layout().minInsyncReplicas()).contains(2);
    assertThat(settings.ingestTimeout()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void badValuesNameTheirVariable() {
    assertThatThrownBy(() -> KafkaSettings.of(CLUSTER, Map.of("HERALD_REPLICATION_FACTOR", "x")))
        .hasMessageContaining("HERALD_REPLICATION_FACTOR must be a whole number, got 'x'");
    assertThatThrownBy(() -> KafkaSettings.of(CLUSTER, Map.of("HERALD_TARGET_PARTITIONS", "0")))
        .hasMessageContaining("HERALD_TARGET_PARTITIONS")
        .hasMessageContaining("target partitions must be between 1 and 1024, got 0");
    assertThatThrownBy(
            () -> KafkaSettings.of(CLUSTER, Map.of("HERALD_INGEST_TIMEOUT_SECONDS", "0")))
        .hasMessageContaining("HERALD_INGEST_TIMEOUT_SECONDS must be from 1 to 300");
  }
}
