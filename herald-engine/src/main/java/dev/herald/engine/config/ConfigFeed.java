package dev.herald.engine.config;

import dev.herald.engine.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config change feed on the compacted topic {@code herald.config-changes}: {@link #publish}
 * announces a change; every instance (this one included) hands each notice published after it
 * started to its listener. The state itself lives in the store; a notice only says what to reload.
 *
 * <p>Threads: one platform thread polls and calls the listener (which must not block for long);
 * {@link #publish} is thread-safe (the producer is).
 */
public final class ConfigFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigFeed.class);
  private static final TopicPartition PARTITION = new TopicPartition(Topics.CONFIG_CHANGES, 0);

  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Consumer<ConfigChange> listener;
  private final Thread thread;
  private final CountDownLatch positioned = new CountDownLatch(1);
  private volatile boolean running = true;

  public ConfigFeed(String bootstrap, String instanceId, Consumer<ConfigChange> listener) {
    this.listener = listener;
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "herald-config-" + instanceId);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.producer = new KafkaProducer<>(producerProps);
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "herald-config-feed-" + instanceId);
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // a fetch answers as soon as a change is appended: the wait only sets how often an idle feed
    // asks (at 10 ms it was 100 fetches a second, a tenth of an idle Herald's CPU with the
    // broker's)
    consumerProps.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
    consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumer = new KafkaConsumer<>(consumerProps);
    this.thread = Thread.ofPlatform().name("herald-config-feed").daemon().start(this::run);
    awaitPositioned();
  }

  /** Announces a change; returns once the broker stored the notice. */
  public void publish(ConfigChange change) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.CONFIG_CHANGES,
                  change.key().getBytes(StandardCharsets.UTF_8),
                  change.toBytes()))
          .get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot announce config change " + change.key(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted announcing " + change.key(), e);
    }
  }

  private void run() {
    try {
      consumer.assign(List.of(PARTITION));
      consumer.seekToEnd(List.of(PARTITION));
      consumer.position(PARTITION); // resolve now: notices published after start are seen
      positioned.countDown();
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          deliver(record);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("config change feed stopped: {}", e.toString(), e);
    } finally {
      positioned.countDown();
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void deliver(ConsumerRecord<byte[], byte[]> record) {
    try {
      listener.accept(ConfigChange.fromBytes(record.value()));
    } catch (Exception e) {
      LOG.error("cannot apply config change at offset {}: {}", record.offset(), e.toString(), e);
    }
  }

  private void awaitPositioned() {
    try {
      if (!positioned.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the config change feed did not start within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted starting the config change feed", e);
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
