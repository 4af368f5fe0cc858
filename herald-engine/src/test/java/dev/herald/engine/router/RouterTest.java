package dev.herald.engine.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.RuleSpecs;
import dev.herald.core.event.EventCodec;
import dev.herald.core.event.NewEvent;
import dev.herald.core.routing.RoutingTable;
import dev.herald.core.trace.Tracing;
import dev.herald.engine.broker.SharedBroker;
import dev.herald.engine.inspect.BusTaps;
import dev.herald.engine.inspect.LiveFeed;
import dev.herald.engine.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One router stepped by the test against the shared broker, on a fake clock. */
class RouterTest {
  private static final AtomicInteger BUSES = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  private final String bus = "router-test-" + BUSES.incrementAndGet();
  private final String target = bus + "-hook";
  private final FakeClock clock = new FakeClock(NOW);
  private final List<RoutedEvent> journey = new CopyOnWriteArrayList<>();
  private volatile RuntimeException failNextJourney;
  private final RouterSettings settings =
      RouterSettings.defaults(SharedBroker.bootstrapServers(), 1 << 20);
  private final Producer<byte[], byte[]> producer = Routers.producer(settings);
  private final BusTaps taps = new BusTaps();
  private Router router;

  private void start() throws Exception {
    start(1);
  }

  private void start(int targetPartitions) throws Exception {
    SharedBroker.createTopic(SharedBroker.bootstrapServers(), "herald.bus." + bus, 1);
    SharedBroker.createTopic(
        SharedBroker.bootstrapServers(), "herald.target." + target, targetPartitions);
    RoutingTable table =
        RoutingTable.build(
            bus,
            List.of(
                RuleSpecs.parse(
                    bus,
                    "orders",
                    JSON.readTree(
                        "{\"pattern\":{\"source\":[\"shop\"]},\"targets\":[{\"target\":\""
                            + target
                            + "\"}]}"))));
    router =
        new Router(
            bus,
            7,
            settings,
            Router.consumer(bus, settings),
            producer,
            b -> table,
            routed -> {
              RuntimeException failure = failNextJourney;
              if (failure != null) {
                failNextJourney = null;
                throw failure;
              }
              journey.addAll(routed);
            },
            taps,
            clock,
            new SimpleMeterRegistry(),
            Tracing.OFF);
    router.subscribe();
  }

  @AfterEach
  void close() {
    if (router != null) {
      router.close();
    }
    producer.close(Duration.ofSeconds(5));
  }

  private void publish(String... sources) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> events = new KafkaProducer<>(props)) {
      for (String source : sources) {
        ObjectNode detail = JSON.createObjectNode().put("n", 1);
        NewEvent event =
            new NewEvent(
                bus, source, "Placed", NOW, List.of(), detail, Optional.empty(), Optional.empty());
        events.send(new ProducerRecord<>("herald.bus." + bus, EventCodec.value(event))).get();
      }
    }
  }

  /** Steps the router until it has read {@code events} events; returns the number of steps. */
  private void routeUntil(IntSupplier read, int events) {
    int total = 0;
    for (int step = 0; step < 300 && total < events; step++) {
      total += read.getAsInt();
    }
    assertThat(total).as("events read within 300 steps").isEqualTo(events);
  }

  /** The next step, with nothing left to read: it settles the batch routed last. */
  private void settle() {
    assertThat(router.runOnce()).isZero();
  }

  private List<ConsumerRecord<byte[], byte[]>> targetRecords(int expected) {
    return targetRecords(expected, 1);
  }

  private List<ConsumerRecord<byte[], byte[]>> targetRecords(int expected, int partitions) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> all = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        all.add(new TopicPartition("herald.target." + target, p));
      }
      consumer.assign(all);
      consumer.seekToBeginning(all);
      for (int i = 0; i < 100 && records.size() < expected; i++) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  private long committed() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "herald.router." + bus);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      TopicPartition partition = new TopicPartition("herald.bus." + bus, 0);
      OffsetAndMetadata offset = consumer.committed(Set.of(partition)).get(partition);
      return offset == null ? -1 : offset.offset();
    }
  }

  @Test
  void routesAMatchingEventToItsTargetTopicAndRecordsItsJourney() throws Exception {
    start();
    publish("shop");

    routeUntil(router::runOnce, 1);
    settle();

    ConsumerRecord<byte[], byte[]> record = targetRecords(1).getFirst();
    TargetHeaders.Meta meta =
        TargetHeaders.read(record.headers(), record.timestamp()).orElseThrow();
    assertThat(meta.bus()).isEqualTo(bus);
    assertThat(meta.rule()).isEqualTo("orders");
    assertThat(journey)
        .singleElement()
        .satisfies(e -> assertThat(e.eventId()).isEqualTo(meta.eventId()));
    assertThat(journey.getFirst().routedAt()).isEqualTo(NOW); // the injected clock
    router.close();
    router = null;
    assertThat(committed()).isEqualTo(1);
  }

  @Test
  void unkeyedTargetRecordsGoToTheTargetsPartitionsInTurnInRuns() throws Exception {
    start(3);
    int events = 3 * Router.UNKEYED_RUN;
    publish(Collections.nCopies(events, "shop").toArray(String[]::new));

    routeUntil(router::runOnce, events);

    Map<Integer, Long> perPartition =
        targetRecords(events, 3).stream()
            .collect(Collectors.groupingBy(ConsumerRecord::partition, Collectors.counting()));
    assertThat(perPartition)
        .containsOnly(
            Map.entry(0, (long) Router.UNKEYED_RUN),
            Map.entry(1, (long) Router.UNKEYED_RUN),
            Map.entry(2, (long) Router.UNKEYED_RUN));
  }

  @Test
  void anEventNoRuleMatchesWritesNoRecordAndNoJourney() throws Exception {
    start();
    publish("elsewhere", "shop");

    routeUntil(router::runOnce, 2);
    settle();

    assertThat(targetRecords(1)).hasSize(1);
    assertThat(journey).hasSize(1);
  }

  @Test
  void aBatchWhoseJourneyIsNotRecordedIsRoutedAgainWithTheSameDeliveryKey() throws Exception {
    start();
    failNextJourney = new IllegalStateException("store down");
    publish("shop");

    routeUntil(router::runOnce, 1); // routed; its journey fails while the next step runs
    assertThatThrownBy(router::runOnce).isInstanceOf(Router.RouteFailure.class);
    routeUntil(router::runOnce, 1); // rewound: the same event again
    settle();

    List<ConsumerRecord<byte[], byte[]>> records = targetRecords(2);
    assertThat(records).hasSize(2);
    assertThat(records)
        .extracting(r -> TargetHeaders.read(r.headers(), r.timestamp()).orElseThrow().deliveryKey())
        .containsOnly(
            TargetHeaders.read(records.getFirst().headers(), 0).orElseThrow().deliveryKey());
    assertThat(journey).hasSize(1);
    router.close();
    router = null;
    assertThat(committed()).isEqualTo(1);
  }

  @Test
  void aBatchIsRoutedWhileThePreviousJourneyIsWrittenAndItsFailureRewindsBoth() throws Exception {
    start();
    failNextJourney = new IllegalStateException("store down");
    publish("shop");
    routeUntil(router::runOnce, 1); // its journey is written during the next step, and fails
    publish("shop");

    assertThatThrownBy(router::runOnce).isInstanceOf(Router.RouteFailure.class);
    routeUntil(router::runOnce, 2); // rewound to the first: both routed again
    settle();

    assertThat(journey).extracting(RoutedEvent::eventId).doesNotHaveDuplicates().hasSize(2);
    router.close();
    router = null;
    assertThat(committed()).isEqualTo(2);
  }

  @Test
  void aTapSeesEveryEventReadOnceRoutedMatchedOrNotAndNothingAfterItCloses() throws Exception {
    start();
    List<String> tapped = new CopyOnWriteArrayList<>();
    LiveFeed feed = taps.open(bus, event -> tapped.add(event.event().source()));
    failNextJourney = new IllegalStateException("store down");
    publish("shop", "elsewhere");

    routeUntil(router::runOnce, 2);
    assertThat(tapped).as("not tapped before its journey is recorded").isEmpty();
    assertThatThrownBy(router::runOnce).isInstanceOf(Router.RouteFailure.class);
    assertThat(tapped).as("a batch that failed is not tapped").isEmpty();
    routeUntil(router::runOnce, 2); // rewound: the same two events again
    settle();

    assertThat(tapped).containsExactly("shop", "elsewhere");
    assertThat(feed.isRunning()).isTrue();
    feed.close();
    publish("shop");
    routeUntil(router::runOnce, 1);
    settle();
    assertThat(tapped).hasSize(2);
    assertThat(feed.isRunning()).isFalse();
    assertThat(taps.of(bus)).isNull();
  }

  @Test
  void aTapThatThrowsIsClosedAndRoutingGoesOn() throws Exception {
    start();
    LiveFeed feed =
        taps.open(
            bus,
            event -> {
              throw new IllegalStateException("broken client");
            });
    publish("shop");

    routeUntil(router::runOnce, 1);
    settle();

    assertThat(feed.isRunning()).isFalse();
    assertThat(targetRecords(1)).hasSize(1);
    assertThat(journey).hasSize(1);
  }
}
