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
 * topics that live deliveries use, and records each batch (deliveries and positions) in the ledger
 * once its records are stored. So a crash replays at most the last batch again, with the same
 * delivery keys, which the journal drops as duplicates.
 *
 * <p>Pacing, so that live traffic comes first: at most {@link ReplaySettings#eventsPerSecond}, and
 * no batch while a target it feeds has more than {@link ReplaySettings#maxTargetBacklog} records
 * not yet delivered.
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
  private final Map<Integer, Long> positions; // replay thread
  private final Set<String> fed = new HashSet<>(); // replay thread: targets written to
  private long replayed; // replay thread
  private Optional<Instant> lastReplayedTime; // replay thread
  private Map<Integer, Long> savedPositions; // replay thread: as the ledger has them
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
    this.replayed = job.eventsReplayed();
    this.lastReplayedTime = job.lastReplayedTime();
    this.savedPositions = Map.copyOf(positions);
    this.savedReplayed = replayed;
    this.savedLastReplayedTime = lastReplayedTime;
    List<TopicPartition> open = new ArrayList<>();
    job.endOffsets()
        .forEach(
            (p, end) -> {
              if (position(p) < end) {
                open.add(new TopicPartition(topic, p));
              }
            });
    consumer.assign(open);
    open.forEach(tp -> consumer.seek(tp, position(tp.partition())));
  }

  ReplayJob job() {
    return job;
  }

  /** When the next batch may start (the throttle); the caller waits until then on WAITING. */
  Instant nextBatchAt() {
    return nextBatchAt;
  }

  private long position(int partition) {
    return positions.getOrDefault(partition, job.endOffsets().getOrDefault(partition, 0L));
  }

  private boolean finished() {
    for (Map.Entry<Integer, Long> end : job.endOffsets().entrySet()) {
      if (position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * One step: completes the replay when its window is read; waits (returns {@code WAITING}) while
   * throttled or while a target it feeds has a large backlog; else reads, routes and records one
   * batch.
   */
  Step runOnce() {
    if (stopped) {
      return Step.STOPPED;
    }
    if (finished()) {
      ledger.finish(job, "completed", Optional.empty());
      LOG.info("replay {} of bus {} completed: {} events", job.name(), job.bus(), replayed);
      return Step.DONE;
    }
    Instant now = clock.instant();
    if (now.isBefore(nextBatchAt) || backlogged()) {
      return keepAlive(now) ? Step.WAITING : stopHere();
    }
    try {
      return replayBatch(now);
    } catch (RuntimeException e) {
      rewind();
      throw e;
    }
  }

  private Step replayBatch(Instant now) {
    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
    RoutingTable table = tables.apply(job.bus());
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    List<ReplayLedger.Replayed> batch = new ArrayList<>();
    int read = 0;
    for (TopicPartition tp : records.partitions()) {
      long end = job.endOffsets().getOrDefault(tp.partition(), 0L);
      for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
        if (record.offset() >= end) {
          break;
        }
        read++;
        positions.put(tp.partition(), record.offset() + 1);
        replayOne(record, table, now, sends, batch);
      }
    }
    advancePastGaps();
    awaitAll(sends);
    boolean goOn = ledger.progress(job, Map.copyOf(positions), replayed, lastReplayedTime, batch);
    savedPositions = Map.copyOf(positions);
    savedReplayed = replayed;
    savedLastReplayedTime = lastReplayedTime;
    double seconds = read / settings.eventsPerSecond();
    nextBatchAt = (now.isAfter(nextBatchAt) ? now : nextBatchAt).plusNanos((long) (seconds * 1e9));
    lastRecordedAt = now;
    return goOn ? Step.ROUTED : stopHere();
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
    return ledger.progress(job, savedPositions, savedReplayed, savedLastReplayedTime, List.of());
  }

  /** Back to what the ledger has: a failed batch is read and routed again. */
  private void rewind() {
    positions.clear();
    positions.putAll(savedPositions);
    replayed = savedReplayed;
    lastReplayedTime = savedLastReplayedTime;
    consumer.resume(consumer.paused());
    for (TopicPartition tp : consumer.assignment()) {
      consumer.seek(tp, position(tp.partition()));
    }
  }

  /**
   * Positions of partitions the consumer moved past records it did not return (a gap in offsets, or
   * records that retention deleted), and pauses partitions that reached their end.
   */
  private void advancePastGaps() {
    for (TopicPartition tp : consumer.assignment()) {
      long end = job.endOffsets().getOrDefault(tp.partition(), 0L);
      long at = Math.min(end, Math.max(position(tp.partition()), consumer.position(tp)));
      positions.put(tp.partition(), at);
      if (at >= end && !consumer.paused().contains(tp)) {
        consumer.pause(List.of(tp));
      }
    }
  }

  private boolean backlogged() {
    if (fed.isEmpty()) {
      return false;
    }
    Map<String, Long> lag = backlog.apply(fed);
    return lag.values().stream().anyMatch(l -> l > settings.maxTargetBacklog());
  }

  private void replayOne(
      ConsumerRecord<byte[], byte[]> record,
      RoutingTable table,
      Instant now,
      List<Future<RecordMetadata>> sends,
      List<ReplayLedger.Replayed> batch) {
    long time = record.timestamp();
    if (time < job.from().toEpochMilli() || time >= job.to().toEpochMilli()) {
      return; // outside the window (an instance's clock may lag another's a little)
    }
    replayed++;
    lastReplayedTime = Optional.of(Instant.ofEpochMilli(time));
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
    List<Delivery> routes =
        table.route(event, Optional.of(job.name())).stream()
            .filter(d -> job.rules().isEmpty() || job.rules().contains(d.rule()))
            .toList();
    if (routes.isEmpty()) {
      return;
    }
    for (Delivery delivery : routes) {
      switch (delivery) {
        case Delivery.Ready ready -> {
          sends.add(producer.send(targetRecord(record, id, ready, now)));
          fed.add(ready.target());
        }
        case Delivery.Failed failed ->
            LOG.warn(
                "replay {}: delivery {} of event {} to {} failed shaping: {}",
                job.name(),
                failed.deliveryKey(),
                id,
                failed.target(),
                failed.message());
      }
    }
    batch.add(new ReplayLedger.Replayed(id.toString(), now, routes));
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
