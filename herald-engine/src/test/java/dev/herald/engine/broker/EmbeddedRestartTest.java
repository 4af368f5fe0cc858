package dev.herald.engine.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker of its own, since the shared one must not be stopped. */
class EmbeddedRestartTest {

  @TempDir Path dataDir;

  @Test
  void restartOnTheSameDataDirKeepsEveryRecordAndTheClusterId() throws Exception {
    List<String> sent = IntStream.range(0, 1_000).mapToObj(i -> "before-" + i).toList();
    String topic = "restart";
    String clusterId;
    try (Engine first = Engine.embedded(EmbeddedConfig.of(dataDir))) {
      SharedBroker.createTopic(first.bootstrapServers(), topic, 4);
      TestClients.sendAll(first.bootstrapServers(), topic, bytes(sent), first.maxMessageBytes());
      clusterId = TestClients.clusterId(first.bootstrapServers());
    }
    assertThat(dataDir.resolve("kafka/bootstrap")).doesNotExist();
    assertThat(Files.readString(dataDir.resolve("kafka/cluster.id"), UTF_8).strip())
        .isEqualTo(clusterId);

    try (Engine second = Engine.embedded(EmbeddedConfig.of(dataDir).withFsync(true))) {
      assertThat(second.isHealthy()).isTrue();
      assertThat(TestClients.clusterId(second.bootstrapServers())).isEqualTo(clusterId);
      TestClients.sendAll(
          second.bootstrapServers(), topic, bytes(List.of("after")), second.maxMessageBytes());

      List<String> read = strings(TestClients.readAll(second.bootstrapServers(), topic, 1_001));

      List<String> expected = new ArrayList<>(sent);
      expected.add("after");
      assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void refusesASecondBrokerOnADataDirInUseAndLeavesTheFirstRunning() {
    try (Engine first = Engine.embedded(EmbeddedConfig.of(dataDir))) {
      assertThatThrownBy(() -> Engine.embedded(EmbeddedConfig.of(dataDir)))
          .isInstanceOf(EngineStartException.class)
          .hasMessageContaining("in use")
          .hasMessageContaining(dataDir.resolve("kafka").toString());

      assertThat(first.isHealthy()).isTrue();
      String topic = "still-works";
      SharedBroker.createTopic(first.bootstrapServers(), topic, 1);
    }
  }

  private static List<byte[]> bytes(List<String> values) {
    return values.stream().map(v -> v.getBytes(UTF_8)).toList();
  }

  private static List<String> strings(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> new String(r.value(), UTF_8)).toList();
  }
}
