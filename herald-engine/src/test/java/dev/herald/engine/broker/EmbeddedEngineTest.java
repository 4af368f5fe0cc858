package dev.herald.engine.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * The smoke test of the embedded broker: if a Kafka upgrade changes the server internals Herald
 * relies on, these fail first.
 */
class EmbeddedEngineTest {

  @Test
  void startsHealthyWithTheDefaultRecordLimit() {
    Engine engine = SharedBroker.engine();

    assertThat(engine.isHealthy()).isTrue();
    assertThat(engine.fault()).isEmpty();
    assertThat(engine.bootstrapServers()).startsWith("127.0.0.1:");
    assertThat(engine.maxMessageBytes()).isEqualTo(EmbeddedConfig.DEFAULT_MESSAGE_MAX_BYTES);
  }

  @Test
  void producesWithAnIdempotentAcksAllProducerAndConsumesBack() throws Exception {
    Engine engine = SharedBroker.engine();
    String topic = SharedBroker.newTopic("smoke", 1);
    List<byte[]> values =
        IntStream.range(0, 500).mapToObj(i -> ("event-" + i).getBytes(UTF_8)).toList();

    TestClients.sendAll(engine.bootstrapServers(), topic, values, engine.maxMessageBytes());
    List<ConsumerRecord<byte[], byte[]>> read =
        TestClients.readAll(engine.bootstrapServers(), topic, values.size());

    assertThat(read)
        .map(r -> new String(r.value(), UTF_8))
        .containsExactlyElementsOf(values.stream().map(v -> new String(v, UTF_8)).toList());
  }

  @Test
  void acceptsAOneMebibyteRecordWhenTheProducerAllowsIt() throws Exception {
    Engine engine = SharedBroker.engine();
    String topic = SharedBroker.newTopic("large", 1);
    byte[] value = new byte[1_048_576];
    Arrays.fill(value, (byte) 'h');
    value[value.length - 1] = 'x';

    TestClients.sendAll(engine.bootstrapServers(), topic, List.of(value), engine.maxMessageBytes());
    List<ConsumerRecord<byte[], byte[]>> read =
        TestClients.readAll(engine.bootstrapServers(), topic, 1);

    assertThat(read).hasSize(1);
    assertThat(read.getFirst().value()).isEqualTo(value);
  }

  @Test
  void writesItsAddressToTheDataDirForTools() throws Exception {
    Engine engine = SharedBroker.engine();

    String written = Files.readString(SharedBroker.dataDir().resolve("kafka/bootstrap"), UTF_8);

    assertThat(written.strip()).isEqualTo(engine.bootstrapServers());
  }

  @Test
  void runsWithHeraldsBrokerSettings() throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
    ConfigResource broker =
        new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(BrokerProperties.NODE_ID));

    Config config;
    try (Admin admin = Admin.create(props)) {
      Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(broker)).all().get();
      config = configs.get(broker);
    }

    assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
    assertThat(config.get("num.partitions").value()).isEqualTo("4");
    assertThat(config.get("message.max.bytes").value())
        .isEqualTo(String.valueOf(EmbeddedConfig.DEFAULT_MESSAGE_MAX_BYTES));
    assertThat(config.get("log.segment.bytes").value()).isEqualTo(String.valueOf(16 * 1024 * 1024));
    assertThat(config.get("log.flush.interval.messages").value())
        .isEqualTo(String.valueOf(Long.MAX_VALUE));
  }
}
