package dev.herald.engine.bus;

import dev.herald.core.event.EventCodec;
import dev.herald.core.event.EventId;
import dev.herald.core.event.NewEvent;
import dev.herald.engine.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Appends events to their bus topics and answers with the event id once Kafka acknowledged the
 * write on every in-sync replica (acks=all, idempotent producer). Thread-safe: one shared
 * KafkaProducer, which is itself thread-safe and batches across callers.
 */
public final class EventAppender implements AutoCloseable {

  /** An event ready to append: its bytes are already encoded so that their size can be checked. */
  public record Encoded(NewEvent event, int busOrdinal, byte[] key, byte[] value) {
    public int size() {
      return value.length + (key == null ? 0 : key.length);
    }
  }

  /** The header carrying the W3C trace context. */
  public static final String TRACEPARENT = "traceparent";

  /**
   * The header carrying how many times bus targets re-published the event (decimal text); absent
   * means 0, an event a producer published.
   */
  public static final String HOPS = "herald-hops";

  private final Producer<byte[], byte[]> producer;

  /**
   * @param deliveryTimeout how long an append may wait for the cluster's acknowledgement, retries
   *     included, before its future fails; longer than the cluster's failover on a cluster
   */
  public EventAppender(String bootstrapServers, int maxMessageBytes, Duration deliveryTimeout) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "herald-ingest");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxMessageBytes);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    props.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        Math.toIntExact(Math.max(deliveryTimeout.toMillis(), 5_000 + 2)));
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.producer = new KafkaProducer<>(props);
  }

  public static Encoded encode(NewEvent event, int busOrdinal) {
    return new Encoded(
        event, busOrdinal, EventCodec.key(event).orElse(null), EventCodec.value(event));
  }

  /**
   * Appends one event; the future completes with its id after the acknowledgement, or exceptionally
   * when it was not stored. {@code ingestedAtMillis} becomes the record timestamp.
   */
  public CompletableFuture<EventId> append(
      Encoded encoded, long ingestedAtMillis, String traceparent) {
    return append(encoded, ingestedAtMillis, traceparent, 0);
  }

  /**
   * Appends one event that a bus target re-published: as {@link #append(Encoded, long, String)},
   * with its {@code hops} in the {@link #HOPS} header (none when 0).
   */
  public CompletableFuture<EventId> append(
      Encoded encoded, long ingestedAtMillis, String traceparent, int hops) {
    if (hops < 0) {
      throw new IllegalArgumentException("hops must not be negative, got " + hops);
    }
    List<Header> headers = new ArrayList<>(2);
    headers.add(new RecordHeader(TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8)));
    if (hops > 0) {
      headers.add(new RecordHeader(HOPS, Integer.toString(hops).getBytes(StandardCharsets.UTF_8)));
    }
    CompletableFuture<EventId> result = new CompletableFuture<>();
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            Topics.busTopic(encoded.event().bus()),
            null,
            ingestedAtMillis,
            encoded.key(),
            encoded.value(),
            headers);
    try {
      var unused = // the callback completes result
          producer.send(
              record,
              (metadata, error) -> {
                if (error != null) {
                  result.completeExceptionally(error);
                } else {
                  result.complete(
                      new EventId(
                          metadata.timestamp(),
                          encoded.busOrdinal(),
                          metadata.partition(),
                          metadata.offset()));
                }
              });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  /** The producer, for metrics binding. */
  public Producer<byte[], byte[]> producer() {
    return producer;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
