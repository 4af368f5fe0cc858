package dev.herald.engine.delivery;

import dev.herald.engine.router.TargetHeaders;
import dev.herald.engine.topic.CommitFailures;
import dev.herald.engine.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of the delivery pool (group {@code herald.delivery}, every target topic). It never
 * blocks on a target: records go to virtual threads, finished ones come back through a queue, a
 * partition is paused while too many of its records are in flight, and offsets are committed up to
 * the lowest record not yet finished and recorded. Threads: one platform thread owns the consumer
 * and the tracker; {@link #close} may be called from any thread.
 */
final class DeliveryConsumer implements ConsumerRebalanceListener {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryConsumer.class);
  private static final Pattern TARGET_TOPICS = Pattern.compile("herald\\.target\\..+");

  /** How long a poll waits for records while none of this consumer's records is in flight. */
  static final Duration POLL_IDLE = Duration.ofMillis(100);

  /**
   * How long it waits while records are in flight: finished ones are taken in and committed between
   * polls, so a short poll commits them soon (fewer deliveries to look up again after a crash) at
   * the cost of a few more wake-ups.
   */
  static final Duration POLL_BUSY = Duration.ofMillis(10);

  /** Offsets are committed at most this often (and always on revocation and close). */
  static final Duration COMMIT_INTERVAL = Duration.ofMillis(50);

  /**
   * New target topics are looked for at most this often: creating many targets in a row (a
   * configuration apply) rebalances the group a few times, not once per target.
   */
  static final Duration RESUBSCRIBE_INTERVAL = Duration.ofMillis(500);

  private record Finished(TopicPartition partition, long offset) {}

  private final DeliveryPool pool;
  private final DeliverySettings settings;
  private final Consumer<byte[], byte[]> consumer;
  private final PartitionTracker tracker = new PartitionTracker();
  private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
  private final Set<TopicPartition> paused = new HashSet<>();
  private final Thread thread;
  private final CommitFailures commitFailures;
  private volatile boolean running = true;
  private volatile boolean resubscribe;
  private volatile boolean started;
  private Instant lastCommit = Instant.MIN; // consumer thread
  private Instant lastResubscribe = Instant.MIN; // consumer thread

  /**
   * @param consumer a consumer of the group {@code herald.delivery}, not subscribed yet ({@link
   *     #kafkaConsumer} makes the one Herald uses); this owns and closes it
   */
  DeliveryConsumer(
      DeliveryPool pool, DeliverySettings settings, Consumer<byte[], byte[]> consumer, int index) {
    this.pool = pool;
    this.settings = settings;
    this.consumer = consumer;
    this.commitFailures = new CommitFailures("delivery consumer " + index, pool.clock());
    this.thread =
        Thread.ofPlatform().name("herald-delivery-" + index).daemon().unstarted(this::loop);
  }

  /** The consumer Herald uses: group {@code herald.delivery}, cooperative, manual commits. */
  static Consumer<byte[], byte[]> kafkaConsumer(DeliverySettings settings, int index) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.DELIVERY_GROUP);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "herald-delivery-" + index);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, settings.maxMessageBytes());
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000); // new target topics within seconds
    // a member that sees a new topic rejoins at once; the others learn it at their next heartbeat
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    // a crashed instance's partitions move to the others within 10 s (Kafka's default: 45 s)
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Topics.SESSION_TIMEOUT_MS);
    // a new target topic must not revoke the partitions others are delivering (duplicates)
    props.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
    // answered as soon as a record is appended; the wait sets how often an idle consumer asks, and
    // how long a newly assigned partition (a new target) may wait for the fetch in flight to end
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return new KafkaConsumer<>(props);
  }

  /** Subscribes to every target topic and starts the thread that calls {@link #runOnce}. */
  void start() {
    subscribe();
    started = true;
    thread.start();
  }

  /** Subscribes to every target topic; tests call it and then drive {@link #runOnce} themselves. */
  void subscribe() {
    consumer.subscribe(TARGET_TOPICS, this);
  }

  private void loop() {
    try {
      while (running) {
        runOnce();
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("delivery consumer stopped: {}", e.toString(), e);
    } finally {
      commit(true);
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Makes the consumer look for new target topics now rather than at its next metadata refresh (up
   * to 5 s away): a target created on this instance gets its first event within a second.
   */
  void refreshTopics() {
    resubscribe = true;
  }

  /**
   * One step: takes in the records finished since the last step, polls and dispatches what arrived
   * (each record to a virtual thread, after one journal lookup for the batch), takes in what
   * finished meanwhile, pauses or resumes partitions, and commits when {@link #COMMIT_INTERVAL} has
   * passed.
   */
  void runOnce() {
    Instant now = pool.clock().instant();
    if (resubscribe && !now.isBefore(lastResubscribe.plus(RESUBSCRIBE_INTERVAL))) {
      resubscribe = false;
      lastResubscribe = now;
      consumer.subscribe(TARGET_TOPICS, this); // the same pattern: fetches metadata right away
    }
    drainFinished();
    ConsumerRecords<byte[], byte[]> records =
        consumer.poll(tracker.inFlight() > 0 ? POLL_BUSY : POLL_IDLE);
    if (!records.isEmpty()) {
      dispatch(records);
    }
    drainFinished();
    adjustPauses();
    commit(false);
  }

  private void dispatch(ConsumerRecords<byte[], byte[]> records) {
    Instant now = pool.clock().instant();
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>(records.count());
    List<Optional<Work>> works = new ArrayList<>(records.count());
    List<String> keys = new ArrayList<>(records.count());
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Optional<Work> work = work(record, now);
      all.add(record);
      works.add(work);
      work.ifPresent(w -> keys.add(w.deliveryKey()));
    }
    Set<String> delivered = pool.ledger().delivered(keys);
    for (int i = 0; i < all.size(); i++) {
      ConsumerRecord<byte[], byte[]> record = all.get(i);
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      tracker.started(partition, record.offset());
      Runnable done = () -> finished.add(new Finished(partition, record.offset()));
      Optional<Work> work = works.get(i);
      Optional<TargetRuntime> target = work.flatMap(w -> pool.target(w.target()));
      if (work.isEmpty() || target.isEmpty()) {
        done.run(); // not a delivery, or its target was deleted: nothing to deliver
      } else if (delivered.contains(work.get().deliveryKey())) {
        pool.skip(new AttemptResult.SkippedDuplicate(work.get(), now), done);
      } else {
        pool.submit(work.get(), target.get(), done);
      }
    }
  }

  private static Optional<Work> work(ConsumerRecord<byte[], byte[]> record, Instant now) {
    Optional<TargetHeaders.Meta> meta = TargetHeaders.read(record.headers(), record.timestamp());
    if (meta.isEmpty()) {
      LOG.error("skipping a record of {} without delivery headers", record.topic());
      return Optional.empty();
    }
    return Optional.of(
        Work.firstAttempt(
            DeliveryPool.targetOf(record.topic()),
            meta.get(),
            record.value(),
            Optional.ofNullable(record.key()),
            now,
            TargetHeaders.replay(record.headers())));
  }

  private void drainFinished() {
    for (Finished f; (f = finished.poll()) != null; ) {
      tracker.finished(f.partition(), f.offset());
    }
  }

  private void adjustPauses() {
    List<TopicPartition> toPause = new ArrayList<>();
    List<TopicPartition> toResume = new ArrayList<>();
    for (TopicPartition partition : consumer.assignment()) {
      int inFlight = tracker.inFlight(partition);
      if (inFlight >= settings.pauseAt() && paused.add(partition)) {
        toPause.add(partition);
      } else if (inFlight < settings.pauseAt() / 2 && paused.remove(partition)) {
        toResume.add(partition);
      }
    }
    if (!toPause.isEmpty()) {
      consumer.pause(toPause);
    }
    if (!toResume.isEmpty()) {
      consumer.resume(toResume);
    }
  }

  private void commit(boolean sync) {
    Instant now = pool.clock().instant();
    if (!sync && now.isBefore(lastCommit.plus(COMMIT_INTERVAL))) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
    if (offsets.isEmpty()) {
      return;
    }
    if (sync) {
      consumer.commitSync(offsets);
    } else {
      consumer.commitAsync(offsets, commitFailures);
    }
    tracker.committed(offsets);
    lastCommit = now;
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    drainFinished();
    commit(true);
    partitions.forEach(tracker::forget);
    paused.removeAll(partitions);
    pool.removed(partitions);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    pool.assigned(partitions, topic -> consumer.partitionsFor(topic).size());
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    partitions.forEach(tracker::forget);
    paused.removeAll(partitions);
    pool.removed(partitions);
  }

  /** Commits what finished, synchronously (tests that drive {@link #runOnce} call it). */
  void commitNow() {
    drainFinished();
    commit(true);
  }

  /** Offsets this consumer committed last, per partition (for tests and logs). */
  Map<TopicPartition, Long> committed() {
    return tracker.committedOffsets();
  }

  void close() {
    running = false;
    if (!started) {
      commitNow();
      consumer.close(Duration.ofSeconds(5));
      return;
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
