package dev.herald.engine.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.core.event.EventCodec;
import dev.herald.core.event.NewEvent;
import dev.herald.core.routing.RoutableEvent;
import dev.herald.engine.broker.SharedBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The tail that reads a bus itself (a cluster's, where no instance routes every partition), on the
 * shared broker: it starts from the end, reads every partition, and stops on close.
 */
class BusTailTest {
  private static final AtomicInteger BUSES = new AtomicInteger();
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  private final String bus = "tail-test-" + BUSES.incrementAndGet();

  private void publish(int partition, String source) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> events = new KafkaProducer<>(props)) {
      NewEvent event =
          new NewEvent(
              bus,
              source,
              "Placed",
              NOW,
              List.of(),
              JsonNodeFactory.instance.objectNode().put("n", 1),
              Optional.empty(),
              Optional.empty());
      byte[] value = EventCodec.value(event);
      events.send(new ProducerRecord<>("herald.bus." + bus, partition, null, value)).get();
    }
  }

  @Test
  void followsEveryPartitionFromTheEndAndStopsWhenClosed() throws Exception {
    SharedBroker.createTopic(SharedBroker.bootstrapServers(), "herald.bus." + bus, 2);
    publish(0, "before");
    List<RoutableEvent> seen = new CopyOnWriteArrayList<>();
    LiveFeed tail =
        BusTail.start(
            SharedBroker.bootstrapServers(), 1 << 20, bus, 3, 2, "123", "local", seen::add);

    publish(0, "first");
    publish(1, "second");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(seen)
                    .extracting(e -> e.event().source())
                    .containsExactlyInAnyOrder("first", "second"));
    assertThat(seen)
        .allSatisfy(
            e -> {
              assertThat(e.event().bus()).isEqualTo(bus);
              assertThat(new String(e.envelopeBytes(), java.nio.charset.StandardCharsets.UTF_8))
                  .contains("\"account\":\"123\"", "\"region\":\"local\"");
            });
    assertThat(tail.isRunning()).isTrue();

    tail.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !tail.isRunning());
  }
}
