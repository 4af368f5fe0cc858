package dev.herald.engine.inspect;

import dev.herald.core.event.EventCodec;
import dev.herald.core.event.EventId;
import dev.herald.core.event.PublishedEvent;
import dev.herald.engine.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Searches the recent events of a bus by ingestion time, reading its topic: each partition from the
 * first record at or after {@code from} (the broker's time index) up to the first at or after
 * {@code to}, keeping the events a filter accepts. A page holds up to {@code limit} events in
 * ingestion-time order; its cursor is the next offset of each partition, so pages neither skip nor
 * repeat an event. A request reads at most {@code scanBudget} records: a page may then be short (or
 * empty) with a cursor to go on from.
 *
 * <p>Thread-safe: a small pool of consumers; a search borrows one for its duration.
 */
public final class EventSearch implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private final BlockingQueue<Consumer<byte[], byte[]>> pool;
  private final List<Consumer<byte[], byte[]>> all;

  /** A page of results and, when more may follow, the cursor of the next page. */
  public record Result(List<PublishedEvent> events, Optional<Map<Integer, Long>> next) {}

  public EventSearch(String bootstrapServers, int maxMessageBytes, int poolSize) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxMessageBytes);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.pool = new ArrayBlockingQueue<>(poolSize);
    for (int i = 0; i < poolSize; i++) {
      props.put(ConsumerConfig.CLIENT_ID_CONFIG, "herald-search-" + i);
      pool.add(new KafkaConsumer<>(props));
    }
    this.all = List.copyOf(pool);
  }

  /**
   * One page of the events of {@code bus} ingested in {@code [from, to)} that {@code filter}
   * accepts.
   *
   * @param cursor the next offset per partition, from the previous page; empty for the first page
   */
  public Result search(
      String bus,
      int busOrdinal,
      int partitions,
      Instant from,
      Instant to,
      Predicate<PublishedEvent> filter,
      int limit,
      Optional<Map<Integer, Long>> cursor,
      int scanBudget) {
    Consumer<byte[], byte[]> consumer = borrow();
    try {
      return search(
          consumer, bus, busOrdinal, partitions, from, to, filter, limit, cursor, scanBudget);
    } finally {
      consumer.unsubscribe();
      pool.add(consumer);
    }
  }

  private static Result search(
      Consumer<byte[], byte[]> consumer,
      String bus,
      int busOrdinal,
      int partitions,
      Instant from,
      Instant to,
      Predicate<PublishedEvent> filter,
      int limit,
      Optional<Map<Integer, Long>> cursor,
      int scanBudget) {
    String topic = Topics.busTopic(bus);
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      tps.add(new TopicPartition(topic, p));
    }
    Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
    Map<TopicPartition, Long> starts = new HashMap<>();
    Map<TopicPartition, Long> bounds = new HashMap<>();
    Map<TopicPartition, OffsetAndTimestamp> atFrom = consumer.offsetsForTimes(times(tps, from));
    Map<TopicPartition, OffsetAndTimestamp> atTo = consumer.offsetsForTimes(times(tps, to));
    for (TopicPartition tp : tps) {
      long end = ends.getOrDefault(tp, 0L);
      OffsetAndTimestamp bound = atTo.get(tp);
      bounds.put(tp, bound == null ? end : bound.offset());
      OffsetAndTimestamp first = atFrom.get(tp);
      long start =
          cursor
              .map(c -> c.getOrDefault(tp.partition(), end))
              .orElse(first == null ? end : first.offset());
      starts.put(tp, start);
    }
    long perPartition = Math.max(1, scanBudget / Math.max(1, partitions));
    Map<Integer, Long> scannedTo = new TreeMap<>();
    List<PublishedEvent> found = new ArrayList<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    for (TopicPartition tp : tps) {
      long start = starts.get(tp);
      long bound = bounds.get(tp);
      long next = start;
      int matches = 0;
      if (start < bound) {
        consumer.assign(List.of(tp));
        consumer.seek(tp, start);
        scan:
        while (next < bound && next - start < perPartition && System.nanoTime() < deadline) {
          var records = consumer.poll(POLL);
          if (records.isEmpty()) {
            next = Math.max(next, consumer.position(tp)); // skipped gaps (compaction, aborts)
            continue;
          }
          for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.offset() >= bound) {
              next = bound;
              break scan;
            }
            next = record.offset() + 1;
            EventId id =
                new EventId(record.timestamp(), busOrdinal, record.partition(), record.offset());
            PublishedEvent event;
            try {
              event = EventCodec.decode(id, bus, record.value());
            } catch (RuntimeException e) {
              continue; // not an event
            }
            if (filter.test(event)) {
              found.add(event);
              if (++matches >= limit) {
                break scan;
              }
            }
          }
        }
      }
      scannedTo.put(tp.partition(), Math.max(start, next));
    }
    found.sort(
        Comparator.comparing(PublishedEvent::ingestedAt).thenComparing(e -> e.id().toString()));
    List<PublishedEvent> page = found.size() > limit ? found.subList(0, limit) : found;
    Map<Integer, Long> next = new TreeMap<>(scannedTo);
    for (PublishedEvent untaken : found.subList(page.size(), found.size())) {
      next.merge(untaken.id().partition(), untaken.id().offset(), Math::min);
    }
    boolean more = false;
    for (TopicPartition tp : tps) {
      more |= next.get(tp.partition()) < bounds.get(tp);
    }
    return new Result(List.copyOf(page), more ? Optional.of(next) : Optional.empty());
  }

  private static Map<TopicPartition, Long> times(List<TopicPartition> tps, Instant at) {
    Map<TopicPartition, Long> times = new HashMap<>();
    tps.forEach(tp -> times.put(tp, at.toEpochMilli()));
    return times;
  }

  private Consumer<byte[], byte[]> borrow() {
    try {
      return pool.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a search consumer", e);
    }
  }

  @Override
  public void close() {
    all.forEach(c -> c.close(Duration.ZERO));
  }
}
