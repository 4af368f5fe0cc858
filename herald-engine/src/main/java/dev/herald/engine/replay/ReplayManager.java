package dev.herald.engine.replay;

import dev.herald.core.routing.RoutingTable;
import dev.herald.engine.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The replays running on this instance, one thread each, sharing one producer; and the planning of
 * a new replay (where its window starts and ends in each partition of the bus topic).
 *
 * <p>Threads: a platform thread per running replay steps its {@link Replayer}; the map of running
 * replays is concurrent; {@link #plan} is synchronized around its consumer.
 */
public final class ReplayManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayManager.class);

  /** Records of one partition whose timestamps may trail: an instance's clock behind another's. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  private static final int MAX_FAILURES = 30;

  private final ReplaySettings settings;
  private final Function<String, RoutingTable> tables;
  private final Function<Collection<String>, Map<String, Long>> backlog;
  private final ReplayLedger ledger;
  private final InstantSource clock;
  private final Producer<byte[], byte[]> producer;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private Consumer<byte[], byte[]> planner; // guarded by this
  private volatile boolean closing;

  private record Running(Replayer replayer, Thread thread) {}

  /** Where a new replay starts and ends in each partition, and how many records lie between. */
  public record Plan(Map<Integer, Long> positions, Map<Integer, Long> endOffsets, long total) {}

  /**
   * @param backlog the records not yet delivered of each of the given targets ({@link
   *     #deliveryBacklog})
   */
  public ReplayManager(
      ReplaySettings settings,
      Function<String, RoutingTable> tables,
      Function<Collection<String>, Map<String, Long>> backlog,
      ReplayLedger ledger,
      InstantSource clock) {
    this.settings = settings;
    this.tables = tables;
    this.backlog = backlog;
    this.ledger = ledger;
    this.clock = clock;
    this.producer = new KafkaProducer<>(producerProps(settings));
  }

  /** The delivery group's backlog of targets, by target name, from {@code topics}. */
  public static Function<Collection<String>, Map<String, Long>> deliveryBacklog(Topics topics) {
    return targets -> {
      Map<String, Long> byTarget = new HashMap<>();
      List<String> names = targets.stream().map(Topics::targetTopic).toList();
      topics
          .consumerLag(Topics.DELIVERY_GROUP, names)
          .forEach(
              (topic, lag) -> byTarget.put(topic.substring(Topics.targetTopic("").length()), lag));
      return byTarget;
    };
  }

  /**
   * Where the window [from, to) lies in each partition of the bus topic: from the first record
   * stamped {@code from} or later to the first stamped {@code to} + {@link #CLOCK_SKEW} or later
   * (the log's end when none is); records in between outside the window are skipped as read.
   */
  public synchronized Plan plan(String bus, Instant from, Instant to) {
    if (planner == null) {
      planner = new KafkaConsumer<>(consumerProps(settings, "herald-replay-planner"));
    }
    String topic = Topics.busTopic(bus);
    List<PartitionInfo> infos = planner.partitionsFor(topic, Duration.ofSeconds(15));
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
    Map<TopicPartition, Long> logEnds = planner.endOffsets(partitions, Duration.ofSeconds(15));
    Map<Integer, Long> starts = offsets(partitions, from, logEnds);
    Map<Integer, Long> ends = offsets(partitions, to.plus(CLOCK_SKEW), logEnds);
    long total = 0;
    for (Map.Entry<Integer, Long> end : ends.entrySet()) {
      total += Math.max(0, end.getValue() - starts.get(end.getKey()));
    }
    return new Plan(starts, ends, total);
  }

  private Map<Integer, Long> offsets(
      List<TopicPartition> partitions, Instant time, Map<TopicPartition, Long> logEnds) {
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(tp -> query.put(tp, time.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found =
        planner.offsetsForTimes(query, Duration.ofSeconds(15));
    Map<Integer, Long> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndTimestamp at = found.get(tp);
      offsets.put(tp.partition(), at != null ? at.offset() : logEnds.getOrDefault(tp, 0L));
    }
    return offsets;
  }

  /** Runs a replay on this instance unless it runs here already. */
  public void run(ReplayJob job) {
    running.computeIfAbsent(
        key(job.bus(), job.name()),
        k -> {
          Replayer replayer = replayer(job);
          Thread thread =
              Thread.ofPlatform()
                  .name("herald-replay-" + job.bus() + "-" + job.name())
                  .daemon()
                  .unstarted(() -> loop(replayer));
          thread.start();
          LOG.info(
              "replay {} of bus {} running: {} records left to read",
              job.name(),
              job.bus(),
              job.remaining());
          return new Running(replayer, thread);
        });
  }

  /** A replayer of {@code job} with a consumer of its own (for tests that step it). */
  Replayer replayer(ReplayJob job) {
    return new Replayer(
        job,
        settings,
        new KafkaConsumer<>(consumerProps(settings, "herald-replay-" + job.name())),
        producer,
        tables,
        backlog,
        ledger,
        clock);
  }

  /** Stops a replay running here (it was cancelled); false when it does not run here. */
  public boolean stop(String bus, String name) {
    Running r = running.get(key(bus, name));
    if (r == null) {
      return false;
    }
    r.replayer().stop();
    return true;
  }

  /** Whether a replay runs on this instance. */
  public boolean runs(String bus, String name) {
    return running.containsKey(key(bus, name));
  }

  private void loop(Replayer replayer) {
    ReplayJob job = replayer.job();
    MDC.put("bus", job.bus());
    MDC.put("replay", job.name());
    int failures = 0;
    try {
      while (true) {
        Replayer.Step step;
        try {
          step = replayer.runOnce();
          failures = 0;
        } catch (WakeupException e) {
          return;
        } catch (RuntimeException e) {
          failures++;
          LOG.warn(
              "replay {} of bus {} failed a batch ({} in a row); trying again: {}",
              job.name(),
              job.bus(),
              failures,
              e.toString());
          if (failures >= MAX_FAILURES) {
            fail(job, e);
            return;
          }
          sleep(settings.pause());
          continue;
        }
        switch (step) {
          case ROUTED -> {}
          case WAITING -> sleep(wait(replayer));
          case DONE, STOPPED -> {
            return;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      running.remove(key(job.bus(), job.name()));
      if (closing) {
        release(job);
      }
      replayer.close();
      MDC.clear();
    }
  }

  private Duration wait(Replayer replayer) {
    Duration throttle = Duration.between(clock.instant(), replayer.nextBatchAt());
    return throttle.isNegative() || throttle.isZero()
        ? settings.pause()
        : (throttle.compareTo(settings.pause()) < 0 ? throttle : settings.pause());
  }

  private void fail(ReplayJob job, RuntimeException e) {
    String reason = "stopped after " + MAX_FAILURES + " failed batches in a row: " + e;
    LOG.error("replay {} of bus {} failed: {}", job.name(), job.bus(), reason);
    try {
      ledger.finish(job, "failed", Optional.of(reason));
    } catch (RuntimeException again) {
      LOG.error("replay {} could not record its failure: {}", job.name(), again.toString());
    }
  }

  private void release(ReplayJob job) {
    try {
      ledger.release(job);
    } catch (RuntimeException e) {
      LOG.warn("replay {} could not let go of its lease: {}", job.name(), e.toString());
    }
  }

  private static void sleep(Duration pause) throws InterruptedException {
    Thread.sleep(pause);
  }

  private static String key(String bus, String name) {
    return bus + "/" + name;
  }

  private static Properties consumerProps(ReplaySettings settings, String clientId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.batchSize());
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, settings.maxMessageBytes());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return props;
  }

  private static Properties producerProps(ReplaySettings settings) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "herald-replay");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, settings.maxMessageBytes());
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return props;
  }

  @Override
  public void close() {
    closing = true;
    List<Running> all = new ArrayList<>(running.values());
    all.forEach(r -> r.replayer().stop());
    for (Running r : all) {
      try {
        r.thread().join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      if (planner != null) {
        planner.close(Duration.ofSeconds(5));
      }
    }
    producer.close(Duration.ofSeconds(10));
  }
}
