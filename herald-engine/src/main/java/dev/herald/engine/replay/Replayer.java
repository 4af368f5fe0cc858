package dev.herald.engine.replay;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.herald.core.event.EventId;
import dev.herald.core.routing.RoutableEvent;
import dev.herald.core.routing.RoutingTable;
import dev.herald.core.routing.RoutingTable.Delivery;
import dev.herald.engine.router.TargetHeaders;
import dev.herald.engine.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one replay: reads its window of the bus topic with a consumer of its own (assigned, no
 * group), routes each event of the window with the replay's name (new delivery keys, {@code
 * "replay-name"} in the envelope) to the replay's rules, writes the target records to the target
 * topics that live deliveries use, and records each batch (deliveries, dead letters of failed
 * shaping, positions and lanes) in the ledger once its records are stored. So a crash replays at
 * most the last batch again, with the same delivery keys, which the journal drops as duplicates.
 *
 * <p>Pacing, so that live traffic comes first: at most {@link ReplaySettings#eventsPerSecond}, and
 * no replayed record to a target that has more than {@link ReplaySettings#maxTargetBacklog} records
 * not yet delivered. Such a target is held back alone, in a lane of its own: the replay reads on
 * for the other targets ({@code positions}, the head) and the held target keeps the positions where
 * its first delivery was held ({@code lanes}); once its backlog is down, its lane reads again from
 * there up to the head, for it alone, and is dropped when it reaches the head (the head does not
 * send to a target with a lane, so each target gets the window once, in order). The head waits only
 * when every target it has fed is held. The replay completes when the head and every lane have read
 * the window.
 *
 * <p>Threads: one thread calls {@link #runOnce} (the manager's, or a test's) and owns the consumer;
 * {@link #stop} may be called from any thread.
 */
final class Replayer implements AutoCloseable {
  /** What a step did. */
  enum Step {
    ROUTED,
    WAITING,
    DONE,
    STOPPED
  }

  private static final Logger LOG = LoggerFactory.getLogger(Replayer.class);
  private static final Duration POLL = Duration.ofMillis(200);
  static final Duration KEEP_ALIVE = Duration.ofSeconds(5);

  private final ReplayJob job;
  private final ReplaySettings settings;
  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final Function<String, RoutingTable> tables;
  private final Function<Collection<String>, Map<String, Long>> backlog;
  private final ReplayLedger ledger;
  private final InstantSource clock;
  private final String topic;
  private final Map<Integer, Long> positions; // replay thread: the head
  private final Map<String, Map<Integer, Long>> lanes = new HashMap<>(); // replay thread
  private final Set<String> fed = new HashSet<>(); // replay thread: targets written to
  private final Map<Integer, Long> consumerAt = new HashMap<>(); // replay thread: its next offsets
  private long replayed; // replay thread
  private Optional<Instant> lastReplayedTime; // replay thread
  private Map<Integer, Long> savedPositions; // replay thread: as the ledger has them
  private Map<String, Map<Integer, Long>> savedLanes; // replay thread
  private long savedReplayed; // replay thread
  private Optional<Instant> savedLastReplayedTime; // replay thread
  private Instant nextBatchAt = Instant.EPOCH; // replay thread: the throttle
  private Instant lastRecordedAt; // replay thread: the last call to the ledger
  private volatile boolean stopped;

  Replayer(
      ReplayJob job,
      ReplaySettings settings,
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      Function<String, RoutingTable> tables,
      Function<Collection<String>, Map<String, Long>> backlog,
      ReplayLedger ledger,
      InstantSource clock) {
    this.job = job;
    this.settings = settings;
    this.consumer = consumer;
    this.producer = producer;
    this.tables = tables;
    this.backlog = backlog;
    this.ledger = ledger;
    this.clock = clock;
    this.topic = Topics.busTopic(job.bus());
    this.lastRecordedAt = clock.instant();
    this.positions = new HashMap<>(job.positions());
    job.lanes().forEach((target, at) -> lanes.put(target, new HashMap<>(at)));
    fed.addAll(lanes.keySet());
    this.replayed = job.eventsReplayed();
    this.lastReplayedTime = job.lastReplayedTime();
    save();
  }

  ReplayJob job() {
    return job;
  }

  /** When the next batch may start (the throttle); the caller waits until then on WAITING. */
  Instant nextBatchAt() {
    return nextBatchAt;
  }

  private static long at(Map<Integer, Long> reader, int partition, Map<Integer, Long> ends) {
    return reader.getOrDefault(partition, ends.getOrDefault(partition, 0L));
  }

  /** Whether {@code reader} has read up to {@code limit} in every partition. */
  private boolean caughtUp(Map<Integer, Long> reader, Map<Integer, Long> limit) {
    for (Integer partition : job.endOffsets().keySet()) {
      if (at(reader, partition, job.endOffsets()) < at(limit, partition, job.endOffsets())) {
        return false;
      }
    }
    return true;
  }

  private boolean headDone() {
    return caughtUp(positions, job.endOffsets());
  }

  /**
   * One step: completes the replay when its window is read by the head and every lane; waits
   * (returns {@code WAITING}) while throttled or while every target it could feed is held back;
   * else reads, routes and records one batch: of a lane whose target is no longer held, else of the
   * head.
   */
  Step runOnce() {
    if (stopped) {
      return Step.STOPPED;
    }
    if (lanes.isEmpty() && headDone()) {
      ledger.finish(job, "completed", Optional.empty());
      LOG.info("replay {} of bus {} completed: {} events", job.name(), job.bus(), replayed);
      return Step.DONE;
    }
    Instant now = clock.instant();
    if (now.isBefore(nextBatchAt)) {
      return keepAlive(now) ? Step.WAITING : stopHere();
    }
    Set<String> held = held();
    Optional<String> lane =
        lanes.keySet().stream().filter(t -> !held.contains(t)).sorted().findFirst();
    boolean headMay = !headDone() && (fed.isEmpty() || !held.containsAll(fed));
    if (lane.isEmpty() && !headMay) {
      return keepAlive(now) ? Step.WAITING : stopHere();
    }
    try {
      return replayBatch(lane, held, now);
    } catch (RuntimeException e) {
      rewind();
      throw e;
    }
  }

  /** The targets fed so far whose backlog is above the limit. */
  private Set<String> held() {
    if (fed.isEmpty()) {
      return Set.of();
    }
    Set<String> held = new HashSet<>();
    backlog
        .apply(Set.copyOf(fed))
        .forEach(
            (target, lag) -> {
              if (lag > settings.maxTargetBacklog()) {
                held.add(target);
              }
            });
    return held;
  }

  /**
   * Reads one batch for the lane of {@code lane} (up to the head, for that target alone) or, when
   * empty, for the head (up to the end, for every target without a lane; a target in {@code held}
   * gets a lane where this batch started instead of its deliveries).
   */
  private Step replayBatch(Optional<String> lane, Set<String> held, Instant now) {
    Map<Integer, Long> reader = lane.isPresent() ? lanes.get(lane.get()) : positions;
    Map<Integer, Long> limit = lane.isPresent() ? positions : job.endOffsets();
    Map<Integer, Long> start = Map.copyOf(reader);
    seek(reader, limit);
    ConsumerRecords<byte[], byte[]> records =
        consumer.assignment().isEmpty() ? ConsumerRecords.empty() : consumer.poll(POLL);
    RoutingTable table = tables.apply(job.bus());
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    List<ReplayLedger.Replayed> batch = new ArrayList<>();
    int read = 0;
    for (TopicPartition tp : records.partitions()) {
      long end = at(limit, tp.partition(), job.endOffsets());
      for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
        if (record.offset() >= end) {
          break;
        }
        read++;
        reader.put(tp.partition(), record.offset() + 1);
        replayOne(record, table, lane, held, start, now, sends, batch);
      }
    }
    advancePastGaps(reader, limit);
    awaitAll(sends);
    if (lane.isPresent() && caughtUp(reader, positions)) {
      lanes.remove(lane.get());
      LOG.info("replay {}: target {} caught up", job.name(), lane.get());
    }
    boolean goOn =
        ledger.progress(job, Map.copyOf(positions), lanesCopy(), replayed, lastReplayedTime, batch);
    save();
    double seconds = read / settings.eventsPerSecond();
    nextBatchAt = (now.isAfter(nextBatchAt) ? now : nextBatchAt).plusNanos((long) (seconds * 1e9));
    lastRecordedAt = now;
    return goOn ? Step.ROUTED : stopHere();
  }

  /**
   * Points the consumer at {@code reader}: assigned the partitions it has left to read up to {@code
   * limit}, each at the reader's position (a seek only where the consumer is elsewhere).
   */
  private void seek(Map<Integer, Long> reader, Map<Integer, Long> limit) {
    Set<TopicPartition> open = new HashSet<>();
    for (Integer partition : job.endOffsets().keySet()) {
      if (at(reader, partition, job.endOffsets()) < at(limit, partition, job.endOffsets())) {
        open.add(new TopicPartition(topic, partition));
      }
    }
    if (!open.equals(consumer.assignment())) {
      consumer.assign(open);
      consumerAt.clear();
    }
    for (TopicPartition tp : open) {
      long want = at(reader, tp.partition(), job.endOffsets());
      Long there = consumerAt.get(tp.partition());
      if (there == null || there.longValue() != want) {
        consumer.seek(tp, want);
        consumerAt.put(tp.partition(), want);
      }
    }
  }

  private Map<String, Map<Integer, Long>> lanesCopy() {
    Map<String, Map<Integer, Long>> copy = new HashMap<>();
    lanes.forEach((target, at) -> copy.put(target, Map.copyOf(at)));
    return Map.copyOf(copy);
  }

  /** What the ledger has now. */
  private void save() {
    savedPositions = Map.copyOf(positions);
    savedLanes = lanesCopy();
    savedReplayed = replayed;
    savedLastReplayedTime = lastReplayedTime;
  }

  private Step stopHere() {
    stopped = true;
    LOG.info("replay {} of bus {} stopped: it no longer runs here", job.name(), job.bus());
    return Step.STOPPED;
  }

  /**
   * While waiting, tells the ledger every {@link #KEEP_ALIVE} that the replay still runs here (its
   * lease) and learns whether it was cancelled meanwhile; false when it no longer runs here.
   */
  private boolean keepAlive(Instant now) {
    if (now.isBefore(lastRecordedAt.plus(KEEP_ALIVE))) {
      return true;
    }
    lastRecordedAt = now;
    return ledger.progress(
        job, savedPositions, savedLanes, savedReplayed, savedLastReplayedTime, List.of());
  }

  /** Back to what the ledger has: a failed batch is read and routed again. */
  private void rewind() {
    positions.clear();
    positions.putAll(savedPositions);
    lanes.clear();
    savedLanes.forEach((target, at) -> lanes.put(target, new HashMap<>(at)));
    replayed = savedReplayed;
    lastReplayedTime = savedLastReplayedTime;
    consumerAt.clear();
  }

  /**
   * Moves the reader past records the consumer skipped without returning them (a gap in offsets, or
   * records that retention deleted), up to the limit, and notes where the consumer is.
   */
  private void advancePastGaps(Map<Integer, Long> reader, Map<Integer, Long> limit) {
    for (TopicPartition tp : consumer.assignment()) {
      long end = at(limit, tp.partition(), job.endOffsets());
      long next = consumer.position(tp);
      long atNow = at(reader, tp.partition(), job.endOffsets());
      reader.put(tp.partition(), Math.min(end, Math.max(atNow, next)));
      consumerAt.put(tp.partition(), next);
    }
  }

  private void replayOne(
      ConsumerRecord<byte[], byte[]> record,
      RoutingTable table,
      Optional<String> lane,
      Set<String> held,
      Map<Integer, Long> start,
      Instant now,
      List<Future<RecordMetadata>> sends,
      List<ReplayLedger.Replayed> batch) {
    long time = record.timestamp();
    if (time < job.from().toEpochMilli() || time >= job.to().toEpochMilli()) {
      return; // outside the window (an instance's clock may lag another's a little)
    }
    if (lane.isEmpty()) {
      replayed++;
      lastReplayedTime = Optional.of(Instant.ofEpochMilli(time));
    }
    if (table.ruleCount() == 0) {
      return;
    }
    EventId id = new EventId(time, job.busOrdinal(), record.partition(), record.offset());
    RoutableEvent event;
    try {
      event =
          RoutableEvent.read(id, job.bus(), record.value(), settings.account(), settings.region())
              .replayed(job.name());
    } catch (IllegalArgumentException e) {
      LOG.error(
          "replay {} skips a bus record that is not an event: {}", job.name(), e.getMessage());
      return;
    }
    List<Delivery> made = new ArrayList<>();
    boolean failed = false;
    for (Delivery delivery : table.route(event, Optional.of(job.name()))) {
      if (!job.rules().isEmpty() && !job.rules().contains(delivery.rule())) {
        continue;
      }
      String target = delivery.target();
      if (lane.isPresent() ? !lane.get().equals(target) : lanes.containsKey(target)) {
        continue; // another reader's
      }
      switch (delivery) {
        case Delivery.Ready ready -> {
          if (lane.isEmpty() && held.contains(target)) {
            lanes.put(target, new HashMap<>(start)); // held back: its lane reads this again
            LOG.info("replay {}: target {} held back by its backlog", job.name(), target);
            continue;
          }
          sends.add(producer.send(targetRecord(record, id, ready, now)));
          fed.add(target);
        }
        case Delivery.Failed f -> failed = true;
      }
      made.add(delivery);
    }
    if (!made.isEmpty()) {
      batch.add(
          new ReplayLedger.Replayed(
              id.toString(),
              now,
              made,
              failed ? Optional.of(new String(event.envelopeBytes(), UTF_8)) : Optional.empty()));
    }
  }

  /**
   * A replayed target record: as the router writes it, but its event age counts from the replay
   * ({@code ingestedAt} is now, so that an old event is not dead-lettered at once for its age), and
   * it names its replay.
   */
  private ProducerRecord<byte[], byte[]> targetRecord(
      ConsumerRecord<byte[], byte[]> source, EventId id, Delivery.Ready delivery, Instant now) {
    Headers headers = new RecordHeaders();
    Header trace = source.headers().lastHeader(TargetHeaders.TRACEPARENT);
    headers.add(
        TargetHeaders.META,
        TargetHeaders.encode(
            new TargetHeaders.Meta(
                id.toString(),
                job.bus(),
                delivery.rule(),
                delivery.deliveryKey(),
                now,
                delivery.json(),
                trace == null ? Optional.empty() : Optional.of(new String(trace.value(), UTF_8)),
                TargetHeaders.hops(source.headers()))));
    headers.add(TargetHeaders.REPLAY, job.name().getBytes(UTF_8));
    return new ProducerRecord<>(
        Topics.targetTopic(delivery.target()),
        null,
        now.toEpochMilli(),
        source.key(),
        delivery.input(),
        headers);
  }

  private static void awaitAll(List<Future<RecordMetadata>> sends) {
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("a replayed target record was not stored", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while replaying", e);
      }
    }
  }

  /** Makes the next step return {@code STOPPED} (cancelled here). */
  void stop() {
    stopped = true;
  }

  boolean stopped() {
    return stopped;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
