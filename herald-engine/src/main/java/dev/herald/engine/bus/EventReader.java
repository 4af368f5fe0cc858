package dev.herald.engine.bus;

import dev.herald.core.event.EventCodec;
import dev.herald.core.event.EventId;
import dev.herald.core.event.PublishedEvent;
import dev.herald.engine.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one event back by id: the id names the partition and offset, so a lookup is a seek and a
 * short fetch whatever the size of the bus. Thread-safe: a fixed pool of consumers (KafkaConsumer
 * is single-threaded); a caller borrows one for the duration of a lookup.
 */
public final class EventReader implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration DEADLINE = Duration.ofSeconds(2);

  private final BlockingQueue<Consumer<byte[], byte[]>> pool;
  private final List<Consumer<byte[], byte[]>> all;

  public EventReader(String bootstrapServers, int maxMessageBytes, int poolSize) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxMessageBytes);
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, maxMessageBytes);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.pool = new ArrayBlockingQueue<>(poolSize);
    for (int i = 0; i < poolSize; i++) {
      props.put(ConsumerConfig.CLIENT_ID_CONFIG, "herald-reader-" + i);
      pool.add(new KafkaConsumer<>(props));
    }
    this.all = List.copyOf(pool);
  }

  /**
   * The event with this id on this bus, or empty when there is none (never written, past the bus's
   * retention, or an id whose time does not match the record at its offset).
   */
  public Optional<PublishedEvent> read(EventId id, String bus, int partitions) {
    if (id.partition() >= partitions) {
      return Optional.empty();
    }
    Consumer<byte[], byte[]> consumer = borrow();
    try {
      return find(consumer, id, bus).map(value -> EventCodec.decode(id, bus, value));
    } finally {
      pool.add(consumer);
    }
  }

  private static Optional<byte[]> find(Consumer<byte[], byte[]> consumer, EventId id, String bus) {
    TopicPartition tp = new TopicPartition(Topics.busTopic(bus), id.partition());
    consumer.assign(List.of(tp));
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(List.of(tp));
    Map<TopicPartition, Long> end = consumer.endOffsets(List.of(tp));
    if (id.offset() < begin.getOrDefault(tp, 0L) || id.offset() >= end.getOrDefault(tp, 0L)) {
      return Optional.empty();
    }
    consumer.seek(tp, id.offset());
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        if (record.offset() == id.offset() && record.timestamp() == id.ingestedAtMillis()) {
          return Optional.of(record.value());
        }
        return Optional.empty(); // the offset holds another record, or none (a control batch)
      }
    }
    return Optional.empty();
  }

  private Consumer<byte[], byte[]> borrow() {
    try {
      return pool.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for an event reader", e);
    }
  }

  @Override
  public void close() {
    all.forEach(c -> c.close(Duration.ofSeconds(2)));
  }
}
