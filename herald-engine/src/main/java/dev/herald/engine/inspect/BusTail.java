package dev.herald.engine.inspect;

import dev.herald.core.event.EventId;
import dev.herald.core.routing.RoutableEvent;
import dev.herald.engine.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a bus from its end: a consumer of its own, assigned every partition of the bus topic (no
 * consumer group, nothing committed), hands each new event to a callback. It reads the bus topic
 * beside the router, so a tail never touches the routing or delivery path; a callback that cannot
 * keep up is the caller's to drop (it must not block: it runs on the tail's own thread).
 *
 * <p>Threads: one platform thread per tail owns the consumer; {@link #close} may be called from any
 * thread and wakes it.
 */
public final class BusTail implements LiveFeed {
  private static final Logger LOG = LoggerFactory.getLogger(BusTail.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private volatile boolean running = true;

  private BusTail(
      KafkaConsumer<byte[], byte[]> consumer,
      String bus,
      int busOrdinal,
      String account,
      String region,
      Consumer<RoutableEvent> sink) {
    this.consumer = consumer;
    this.thread =
        Thread.ofPlatform()
            .name("herald-tail-" + bus)
            .daemon()
            .unstarted(() -> loop(bus, busOrdinal, account, region, sink));
  }

  /**
   * Starts following {@code bus} from now on.
   *
   * @param sink called on the tail's thread for each new event, in partition order; must not block
   */
  public static BusTail start(
      String bootstrapServers,
      int maxMessageBytes,
      String bus,
      int busOrdinal,
      int partitions,
      String account,
      String region,
      Consumer<RoutableEvent> sink) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "herald-tail-" + bus);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxMessageBytes);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
    try {
      List<TopicPartition> assigned = new ArrayList<>(partitions);
      for (int p = 0; p < partitions; p++) {
        assigned.add(new TopicPartition(Topics.busTopic(bus), p));
      }
      consumer.assign(assigned);
      consumer.seekToEnd(assigned);
      assigned.forEach(consumer::position); // fixes "the end" now, not at the first poll
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
    BusTail tail = new BusTail(consumer, bus, busOrdinal, account, region, sink);
    tail.thread.start();
    return tail;
  }

  private void loop(
      String bus, int busOrdinal, String account, String region, Consumer<RoutableEvent> sink) {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          EventId id =
              new EventId(record.timestamp(), busOrdinal, record.partition(), record.offset());
          RoutableEvent event;
          try {
            event = RoutableEvent.read(id, bus, record.value(), account, region);
          } catch (IllegalArgumentException e) {
            continue; // not an event; the router logs it
          }
          sink.accept(event);
        }
      }
    } catch (WakeupException e) {
      // closed
    } catch (RuntimeException e) {
      if (running) {
        LOG.warn("tail of bus {} stopped: {}", bus, e.toString());
      }
    } finally {
      consumer.close(Duration.ZERO);
    }
  }

  /** Whether the tail still reads (it stops on close or on a failure of its consumer). */
  @Override
  public boolean isRunning() {
    return running && thread.isAlive();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
