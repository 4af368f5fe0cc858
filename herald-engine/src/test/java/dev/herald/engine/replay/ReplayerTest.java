package dev.herald.engine.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.config.RuleSpecs;
import dev.herald.core.event.EventCodec;
import dev.herald.core.event.EventId;
import dev.herald.core.event.NewEvent;
import dev.herald.core.routing.DeliveryKey;
import dev.herald.core.routing.RoutingTable;
import dev.herald.engine.broker.SharedBroker;
import dev.herald.engine.router.TargetHeaders;
import dev.herald.engine.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays stepped by the test against the shared broker: a bus topic of ten events ten seconds
 * apart over two partitions, two rules sending to two targets, a window of five of the events.
 */
class ReplayerTest {
  private static final AtomicInteger BUSES = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 =
      Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
  private static final int ORDINAL = 5;

  private final String bus = "replay-test-" + BUSES.incrementAndGet();
  private final String hook = bus + "-hook";
  private final String audit = bus + "-audit";
  private final FakeClock clock = new FakeClock(T0.plus(Duration.ofHours(1)));
  private final MemoryReplayLedger ledger = new MemoryReplayLedger();
  private final AtomicLong backlog = new AtomicLong();
  private final Map<String, Long> backlogOf = new ConcurrentHashMap<>(); // else backlog
  private final List<EventId> published = new ArrayList<>();
  private ReplayManager manager;

  @BeforeEach
  void start() throws Exception {
    SharedBroker.createTopic(SharedBroker.bootstrapServers(), "herald.bus." + bus, 2);
    SharedBroker.createTopic(SharedBroker.bootstrapServers(), "herald.target." + hook, 1);
    SharedBroker.createTopic(SharedBroker.bootstrapServers(), "herald.target." + audit, 1);
    RoutingTable table =
        RoutingTable.build(
            bus,
            List.of(
                rule("to-hook", "{\"source\":[\"shop\"]}", hook),
                rule("to-audit", "{\"detail-type\":[\"Placed\"]}", audit)));
    ReplaySettings settings =
        new ReplaySettings(
            SharedBroker.bootstrapServers(),
            1 << 20,
            "000000000000",
            "local",
            100,
            10,
            2,
            Duration.ofMillis(10));
    Function<Collection<String>, Map<String, Long>> lag =
        targets ->
            targets.stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        t -> t, t -> backlogOf.getOrDefault(t, backlog.get())));
    manager = new ReplayManager(settings, b -> table, lag, ledger, clock);
    publish();
  }

  @AfterEach
  void close() {
    if (manager != null) {
      manager.close();
    }
  }

  private RuleSpec rule(String name, String pattern, String target) throws Exception {
    return RuleSpecs.parse(
        bus,
        name,
        JSON.readTree(
            "{\"pattern\":" + pattern + ",\"targets\":[{\"target\":\"" + target + "\"}]}"));
  }

  /** Ten events, the i-th ingested at T0 + 10 i seconds, on partition i % 2. */
  private void publish() throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> events = new KafkaProducer<>(props)) {
      for (int i = 0; i < 10; i++) {
        Instant at = T0.plusSeconds(10L * i);
        NewEvent event =
            new NewEvent(
                bus,
                "shop",
                "Placed",
                at,
                List.of(),
                JSON.createObjectNode().put("n", i),
                Optional.empty(),
                Optional.empty());
        RecordMetadata stored =
            events
                .send(
                    new ProducerRecord<>(
                        "herald.bus." + bus,
                        i % 2,
                        at.toEpochMilli(),
                        null,
                        EventCodec.value(event)))
                .get();
        published.add(
            new EventId(stored.timestamp(), ORDINAL, stored.partition(), stored.offset()));
      }
    }
  }

  /** The window [T0 + 20 s, T0 + 70 s): events 2 to 6. */
  private ReplayJob job(String name, Set<String> rules) {
    Instant from = T0.plusSeconds(20);
    Instant to = T0.plusSeconds(70);
    ReplayManager.Plan plan = manager.plan(bus, from, to);
    return new ReplayJob(
        bus,
        ORDINAL,
        name,
        from,
        to,
        rules,
        plan.positions(),
        Map.of(),
        plan.endOffsets(),
        0,
        Optional.empty());
  }

  /** Steps until the replay ends, moving the clock past each throttle; returns the last step. */
  private Replayer.Step runToEnd(Replayer replayer) {
    for (int i = 0; i < 200; i++) {
      Replayer.Step step = replayer.runOnce();
      if (step == Replayer.Step.DONE || step == Replayer.Step.STOPPED) {
        return step;
      }
      if (step == Replayer.Step.WAITING) {
        clock.advance(Duration.ofSeconds(1));
      }
    }
    throw new AssertionError("the replay did not end within 200 steps");
  }

  private List<EventId> window() {
    return published.subList(2, 7);
  }

  @Test
  void replaysExactlyTheWindowToEveryRuleWithNewDeliveryKeysAndTheReplayName() throws Exception {
    try (Replayer replayer = manager.replayer(job("fix-42", Set.of()))) {
      assertThat(runToEnd(replayer)).isEqualTo(Replayer.Step.DONE);
    }
    List<ConsumerRecord<byte[], byte[]>> hooked = records(hook);
    assertThat(hooked).hasSize(5);
    assertThat(records(audit)).hasSize(5);
    List<String> ids = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : hooked) {
      TargetHeaders.Meta meta =
          TargetHeaders.read(record.headers(), record.timestamp()).orElseThrow();
      ids.add(meta.eventId());
      assertThat(meta.deliveryKey())
          .isEqualTo(DeliveryKey.of(meta.eventId(), "to-hook", hook, Optional.of("fix-42")))
          .isNotEqualTo(DeliveryKey.of(meta.eventId(), "to-hook", hook, Optional.empty()));
      assertThat(TargetHeaders.replay(record.headers())).contains("fix-42");
      JsonNode envelope = JSON.readTree(record.value());
      assertThat(envelope.path("replay-name").asText()).isEqualTo("fix-42");
      assertThat(envelope.path("id").asText()).isEqualTo(meta.eventId());
    }
    assertThat(ids)
        .containsExactlyInAnyOrderElementsOf(window().stream().map(EventId::toString).toList());
    assertThat(ledger.state).isEqualTo("completed");
    assertThat(ledger.replayed.get()).isEqualTo(5);
    assertThat(ledger.deliveries).hasSize(10);
  }

  @Test
  void replaysOnlyTheNamedRules() throws Exception {
    try (Replayer replayer = manager.replayer(job("only-audit", Set.of("to-audit")))) {
      assertThat(runToEnd(replayer)).isEqualTo(Replayer.Step.DONE);
    }
    assertThat(records(audit)).hasSize(5);
    assertThat(records(hook)).isEmpty();
    assertThat(ledger.deliveries).allMatch(d -> d.rule().equals("to-audit"));
  }

  @Test
  void stopsWhenCancelled() throws Exception {
    try (Replayer replayer = manager.replayer(job("cancelled", Set.of()))) {
      assertThat(replayer.runOnce()).isEqualTo(Replayer.Step.ROUTED);
      ledger.running = false; // cancelled, as the store says at the next batch
      clock.advance(Duration.ofSeconds(1));
      assertThat(replayer.runOnce()).isEqualTo(Replayer.Step.STOPPED);
      assertThat(replayer.runOnce()).isEqualTo(Replayer.Step.STOPPED);
    }
    assertThat(ledger.state).isNull(); // not completed: the store has it cancelled
    assertThat(records(hook).size()).isLessThan(5);
  }

  @Test
  void waitsWhileATargetItFeedsHasABacklogAndWhileThrottled() throws Exception {
    try (Replayer replayer = manager.replayer(job("paced", Set.of()))) {
      assertThat(replayer.runOnce()).isEqualTo(Replayer.Step.ROUTED);
      // 2 events at 100 events/s: the next batch may start 20 ms later
      assertThat(replayer.runOnce()).isEqualTo(Replayer.Step.WAITING);
      clock.advance(Duration.ofMillis(20));
      backlog.set(11); // above the limit of 10
      int sent = ledger.deliveries.size();
      for (int i = 0; i < 3; i++) {
        assertThat(replayer.runOnce()).isEqualTo(Replayer.Step.WAITING);
        clock.advance(Duration.ofSeconds(1));
      }
      assertThat(ledger.deliveries).hasSize(sent);
      backlog.set(10);
      assertThat(replayer.runOnce()).isEqualTo(Replayer.Step.ROUTED);
      assertThat(runToEnd(replayer)).isEqualTo(Replayer.Step.DONE);
    }
    assertThat(records(hook)).hasSize(5);
  }

  @Test
  void resumesFromTheRecordedPositionsAfterARestart() throws Exception {
    ReplayJob first = job("resumed", Set.of());
    try (Replayer replayer = manager.replayer(first)) {
      assertThat(replayer.runOnce()).isEqualTo(Replayer.Step.ROUTED);
    } // the instance stops here
    assertThat(ledger.replayed.get()).isBetween(1L, 4L);
    ReplayJob resumed =
        new ReplayJob(
            bus,
            ORDINAL,
            "resumed",
            first.from(),
            first.to(),
            Set.of(),
            ledger.positions,
            ledger.lanes,
            first.endOffsets(),
            ledger.replayed.get(),
            ledger.last);
    clock.advance(Duration.ofSeconds(1));
    try (Replayer replayer = manager.replayer(resumed)) {
      assertThat(runToEnd(replayer)).isEqualTo(Replayer.Step.DONE);
    }
    List<String> ids =
        records(hook).stream()
            .map(r -> TargetHeaders.read(r.headers(), r.timestamp()).orElseThrow().eventId())
            .toList();
    assertThat(ids)
        .containsExactlyInAnyOrderElementsOf(window().stream().map(EventId::toString).toList());
    assertThat(ledger.replayed.get()).isEqualTo(5);
  }

  @Test
  void aStalledTargetHoldsBackOnlyItsOwnLaneAndCatchesUpExactlyAfterARestart() throws Exception {
    backlogOf.put(hook, 11L); // above the limit of 10: the hook is stalled
    ReplayJob first = job("lanes", Set.of());
    try (Replayer replayer = manager.replayer(first)) {
      assertThat(replayer.runOnce()).isEqualTo(Replayer.Step.ROUTED); // both fed, then held
      for (int i = 0; i < 20 && ledger.replayed.get() < 5; i++) {
        if (replayer.runOnce() == Replayer.Step.WAITING) {
          clock.advance(Duration.ofSeconds(1));
        }
      }
      assertThat(records(audit)).hasSize(5); // the replay completed for the audit target
      assertThat(ledger.replayed.get()).isEqualTo(5);
      assertThat(replayer.runOnce()).isEqualTo(Replayer.Step.WAITING); // the hook's lane waits
      assertThat(ledger.lanes).containsOnlyKeys(hook);
      assertThat(ledger.state).isNull();
    } // the instance stops here, the hook still stalled
    int hooked = records(hook).size();
    assertThat(hooked).isLessThan(5);

    backlogOf.put(hook, 0L);
    ReplayJob resumed =
        new ReplayJob(
            bus,
            ORDINAL,
            "lanes",
            first.from(),
            first.to(),
            Set.of(),
            ledger.positions,
            ledger.lanes,
            first.endOffsets(),
            ledger.replayed.get(),
            ledger.last);
    clock.advance(Duration.ofSeconds(1));
    try (Replayer replayer = manager.replayer(resumed)) {
      assertThat(runToEnd(replayer)).isEqualTo(Replayer.Step.DONE);
    }
    List<String> window = window().stream().map(EventId::toString).toList();
    assertThat(eventIds(hook)).containsExactlyInAnyOrderElementsOf(window); // each once
    assertThat(eventIds(audit)).containsExactlyInAnyOrderElementsOf(window);
    assertThat(ledger.lanes).isEmpty();
    assertThat(ledger.state).isEqualTo("completed");
  }

  @Test
  void aShapingFailureIsRecordedWithTheReplayedEnvelopeForItsDeadLetter() throws Exception {
    JsonNode failing =
        JSON.readTree(
            "{\"pattern\":{\"source\":[\"shop\"]},\"targets\":[{\"target\":\""
                + hook
                + "\",\"inputPath\":\"$.detail.coupon\"}]}");
    RoutingTable table =
        RoutingTable.build(bus, List.of(RuleSpecs.parse(bus, "needs-coupon", failing)));
    manager.close();
    manager =
        new ReplayManager(
            new ReplaySettings(
                SharedBroker.bootstrapServers(),
                1 << 20,
                "000000000000",
                "local",
                100,
                10,
                2,
                Duration.ofMillis(10)),
            b -> table,
            targets -> Map.of(),
            ledger,
            clock);
    try (Replayer replayer = manager.replayer(job("no-coupon", Set.of()))) {
      assertThat(runToEnd(replayer)).isEqualTo(Replayer.Step.DONE);
    }
    assertThat(records(hook)).isEmpty();
    assertThat(ledger.events).hasSize(5);
    for (ReplayLedger.Replayed event : ledger.events) {
      assertThat(event.deliveries())
          .singleElement()
          .isInstanceOfSatisfying(
              RoutingTable.Delivery.Failed.class,
              f -> {
                assertThat(f.code()).isEqualTo("TransformError");
                assertThat(f.deliveryKey())
                    .isEqualTo(
                        DeliveryKey.of(
                            event.eventId(), "needs-coupon", hook, Optional.of("no-coupon")));
              });
      JsonNode envelope = JSON.readTree(event.envelopeJson().orElseThrow());
      assertThat(envelope.path("id").asText()).isEqualTo(event.eventId());
      assertThat(envelope.path("replay-name").asText()).isEqualTo("no-coupon");
    }
  }

  private List<String> eventIds(String target) {
    return records(target).stream()
        .map(r -> TargetHeaders.read(r.headers(), r.timestamp()).orElseThrow().eventId())
        .toList();
  }

  /** Every record of a target's topic. */
  private List<ConsumerRecord<byte[], byte[]>> records(String target) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      TopicPartition partition = new TopicPartition("herald.target." + target, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      for (int i = 0; i < 50 && consumer.position(partition) < end; i++) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  /** The ledger of these tests: what the store would keep, in memory. */
  private static final class MemoryReplayLedger implements ReplayLedger {
    volatile boolean running = true;
    volatile String state;
    volatile Map<Integer, Long> positions = Map.of();
    volatile Map<String, Map<Integer, Long>> lanes = Map.of();
    volatile Optional<Instant> last = Optional.empty();
    final AtomicLong replayed = new AtomicLong();
    final List<dev.herald.core.routing.RoutingTable.Delivery> deliveries =
        new CopyOnWriteArrayList<>();
    final List<Replayed> events = new CopyOnWriteArrayList<>();

    @Override
    public boolean progress(
        ReplayJob job,
        Map<Integer, Long> at,
        Map<String, Map<Integer, Long>> behind,
        long eventsReplayed,
        Optional<Instant> lastReplayedTime,
        List<Replayed> batch) {
      batch.forEach(b -> deliveries.addAll(b.deliveries()));
      events.addAll(batch);
      if (!running) {
        return false;
      }
      positions = at;
      lanes = behind;
      replayed.set(eventsReplayed);
      last = lastReplayedTime;
      return true;
    }

    @Override
    public void release(ReplayJob job) {}

    @Override
    public void finish(ReplayJob job, String s, Optional<String> error) {
      state = s;
    }
  }
}
