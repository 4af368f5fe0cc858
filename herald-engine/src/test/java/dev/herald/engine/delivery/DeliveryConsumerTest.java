package dev.herald.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.engine.broker.SharedBroker;
import dev.herald.engine.router.TargetHeaders;
import dev.herald.engine.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One delivery consumer stepped by the test against the shared broker: it reads target records,
 * delivers them on the pool's threads and commits past them only once their results are recorded.
 */
class DeliveryConsumerTest {
  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");

  /** A target that counts calls per delivery key and lets them return only when the gate opens. */
  static final class GatedTarget implements Target {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final Semaphore gate = new Semaphore(1_000_000);

    @Override
    public Outcome deliver(Delivery delivery) {
      calls.computeIfAbsent(delivery.deliveryKey(), k -> new AtomicInteger()).incrementAndGet();
      gate.acquireUninterruptibly();
      return new Outcome.Delivered();
    }

    @Override
    public void close() {}
  }

  private final FakeClock clock = new FakeClock(START);
  private final MemoryLedger ledger = new MemoryLedger();
  private final GatedTarget target = new GatedTarget();
  private final String name = "consumer-test-" + TOPICS.incrementAndGet();
  private final String topic = "herald.target." + name;
  private final TopicPartition partition = new TopicPartition(topic, 0);
  private DeliveryPool pool;
  private Consumer<byte[], byte[]> kafka;
  private DeliveryConsumer consumer;

  private void start(int pauseAt) throws Exception {
    SharedBroker.createTopic(SharedBroker.bootstrapServers(), topic, 1);
    TargetRuntime runtime = RetrySchedulerTest.runtime(name, "{\"type\":\"log\"}", clock);
    DeliverySettings settings =
        new DeliverySettings(SharedBroker.bootstrapServers(), 1 << 20, 1, pauseAt);
    pool =
        new DeliveryPool(
            settings,
            ledger,
            n -> n.equals(name) ? Optional.of(runtime) : Optional.empty(),
            clock,
            new SplittableRandom(1),
            new SimpleMeterRegistry(),
            n -> {});
    pool.put(new TargetRuntime(runtime.spec(), target, clock)); // the gated target under the spec
    pool.startRecorder();
    kafka = consumer();
    consumer = new DeliveryConsumer(pool, settings, kafka, 0);
    consumer.subscribe();
  }

  /** A consumer of a group of its own: other tests' target topics are read but not delivered. */
  private Consumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "delivery-test-" + name);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return new KafkaConsumer<>(props);
  }

  @AfterEach
  void close() {
    target.gate.release(1_000);
    if (consumer != null) {
      consumer.close();
    }
    if (pool != null) {
      pool.close();
    }
  }

  private void send(String... deliveryKeys) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (String key : deliveryKeys) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(
            TargetHeaders.META,
            TargetHeaders.encode(
                new TargetHeaders.Meta(
                    "event-" + key, "default", "rule", key, START, true, Optional.empty(), 0)));
        producer
            .send(
                new ProducerRecord<>(
                    topic, 0, null, null, "{}".getBytes(StandardCharsets.UTF_8), headers))
            .get(); // in order, one after the other
      }
    }
  }

  /** Steps the consumer (the clock a commit interval further each time) until {@code done}. */
  private void stepUntil(BooleanSupplier done) {
    for (int step = 0; step < 3_000 && !done.getAsBoolean(); step++) {
      clock.advance(DeliveryConsumer.COMMIT_INTERVAL);
      consumer.runOnce();
    }
    assertThat(done.getAsBoolean()).as("reached within 3,000 steps").isTrue();
  }

  private long committed() {
    return consumer.committed().getOrDefault(partition, -1L);
  }

  @Test
  void deliversEachRecordAndCommitsPastItOnceItsResultIsRecorded() throws Exception {
    start(512);
    send("dk-1", "dk-2", "dk-3");

    stepUntil(() -> committed() == 3);

    assertThat(target.calls).containsOnlyKeys("dk-1", "dk-2", "dk-3");
    assertThat(ledger.journal)
        .containsEntry("dk-1", "delivered")
        .containsEntry("dk-2", "delivered")
        .containsEntry("dk-3", "delivered");
  }

  @Test
  void doesNotCommitPastARecordWhoseCallHasNotReturned() throws Exception {
    start(512);
    target.gate.drainPermits();
    send("dk-1");

    stepUntil(() -> target.calls.containsKey("dk-1"));
    for (int i = 0; i < 5; i++) {
      clock.advance(DeliveryConsumer.COMMIT_INTERVAL);
      consumer.runOnce();
    }
    assertThat(committed()).isLessThan(1);

    target.gate.release();
    stepUntil(() -> committed() == 1);
  }

  @Test
  void aDeliveryTheJournalRecordsAsDeliveredIsSkippedNotInvoked() throws Exception {
    start(512);
    ledger.journal.put("dk-done", "delivered");
    send("dk-done", "dk-new");

    stepUntil(() -> committed() == 2);

    assertThat(target.calls).containsOnlyKeys("dk-new");
    assertThat(ledger.allRecorded())
        .filteredOn(r -> r.work().deliveryKey().equals("dk-done"))
        .singleElement()
        .isInstanceOf(AttemptResult.SkippedDuplicate.class);
  }

  @Test
  void twoRecordsOfOneDeliveryInFlightTogetherInvokeTheTargetOnce() throws Exception {
    start(512);
    target.gate.drainPermits(); // the first call waits, so the copy arrives while it is in flight
    send("dk-twice", "dk-twice");

    stepUntil(() -> target.calls.containsKey("dk-twice"));
    for (int i = 0; i < 5; i++) {
      consumer.runOnce(); // the copy is read and joins the delivery in progress
    }
    target.gate.release(10);
    stepUntil(() -> committed() == 2);

    assertThat(target.calls.get("dk-twice")).hasValue(1);
    assertThat(ledger.allRecorded()).hasSize(1);
  }

  @Test
  void pausesAPartitionWhileTooManyOfItsRecordsAreInFlightAndResumesIt() throws Exception {
    start(2);
    target.gate.drainPermits();
    send("dk-1", "dk-2", "dk-3", "dk-4");

    stepUntil(() -> kafka.paused().contains(partition));

    target.gate.release(10);
    stepUntil(() -> committed() == 4);
    assertThat(kafka.paused()).doesNotContain(partition);
    assertThat(target.calls).hasSize(4);
  }

  @Test
  void aRecordOfADeliveryJustRecordedIsSkippedWhenTheJournalSaysDelivered() throws Exception {
    start(512);
    send("dk-1");
    stepUntil(() -> committed() == 1);

    send("dk-1"); // as the router writes it again after a crash
    stepUntil(() -> committed() == 2);

    assertThat(target.calls.get("dk-1")).hasValue(1);
  }

  @Test
  void aRecordOfADeliveryJustRecordedIsAttemptedWhenTheJournalLostIt() throws Exception {
    start(512);
    send("dk-1");
    stepUntil(() -> committed() == 1);
    ledger.journal.remove("dk-1"); // as after a crash before the entry was durable

    send("dk-1");
    stepUntil(() -> committed() == 2);

    assertThat(target.calls.get("dk-1")).hasValue(2);
  }
}
