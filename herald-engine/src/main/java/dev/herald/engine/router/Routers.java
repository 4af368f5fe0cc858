package dev.herald.engine.router;

import dev.herald.core.routing.RoutingTable;
import dev.herald.core.trace.Tracing;
import dev.herald.engine.inspect.BusTaps;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routers of this instance, one per bus, sharing one producer. Thread-safe: routers are kept in
 * a concurrent map; {@link #ensure} and {@link #stop} are synchronized.
 */
public final class Routers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Routers.class);

  private final RouterSettings settings;
  private final Function<String, RoutingTable> tables;
  private final RouteSink sink;
  private final InstantSource clock;
  private final MeterRegistry metrics;
  private final Tracing tracing;
  private final Producer<byte[], byte[]> producer;
  private final Map<String, Router> routers = new ConcurrentHashMap<>();
  private final BusTaps taps = new BusTaps();

  private final Function<String, Consumer<byte[], byte[]>> consumers;

  /**
   * @param producer the producer of target records every router shares ({@link #producer}); closed
   *     with this
   * @param consumers the consumer of a bus's router ({@code bus -> Router.consumer(bus, settings)})
   */
  Routers(
      RouterSettings settings,
      Function<String, RoutingTable> tables,
      RouteSink sink,
      InstantSource clock,
      MeterRegistry metrics,
      Tracing tracing,
      Producer<byte[], byte[]> producer,
      Function<String, Consumer<byte[], byte[]>> consumers) {
    this.tracing = tracing;
    this.settings = settings;
    this.tables = tables;
    this.sink = sink;
    this.clock = clock;
    this.metrics = metrics;
    this.producer = producer;
    this.consumers = consumers;
  }

  /** The routers of this instance on Kafka: one producer for all, a consumer per router. */
  public static Routers create(
      RouterSettings settings,
      Function<String, RoutingTable> tables,
      RouteSink sink,
      InstantSource clock,
      MeterRegistry metrics) {
    return create(settings, tables, sink, clock, metrics, Tracing.OFF);
  }

  /** As above, with a span per routed event ({@code tracing}: {@link Tracing#OFF} for none). */
  public static Routers create(
      RouterSettings settings,
      Function<String, RoutingTable> tables,
      RouteSink sink,
      InstantSource clock,
      MeterRegistry metrics,
      Tracing tracing) {
    return new Routers(
        settings,
        tables,
        sink,
        clock,
        metrics,
        tracing,
        producer(settings),
        bus -> Router.consumer(bus, settings));
  }

  /**
   * The producer of target records: idempotent, acks=all, uncompressed. A target record is written
   * once and read once; compressing it cost a 64 KiB LZ4 buffer per producer batch (40% of all the
   * allocation of a latency run) and saved nothing on the loopback of the embedded broker. The
   * router flushes each batch, so the linger only gathers what several routers send at once.
   */
  static Producer<byte[], byte[]> producer(RouterSettings settings) {
    return new KafkaProducer<>(producerProps(settings));
  }

  private static Properties producerProps(RouterSettings settings) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "herald-router");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, settings.maxMessageBytes());
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return props;
  }

  /**
   * The taps on the events these routers read: a live tail's cheapest source where this instance
   * routes every partition of a bus (embedded).
   */
  public BusTaps taps() {
    return taps;
  }

  /** Starts the router of a bus unless it runs already. */
  public synchronized void ensure(String bus, int busOrdinal) {
    routers.computeIfAbsent(
        bus,
        b -> {
          Router router =
              new Router(
                  b,
                  busOrdinal,
                  settings,
                  consumers.apply(b),
                  producer,
                  tables,
                  sink,
                  taps,
                  clock,
                  metrics,
                  tracing);
          router.start();
          LOG.info("router of bus {} started", b);
          return router;
        });
  }

  /** Stops the router of a bus (the bus was deleted). */
  public synchronized void stop(String bus) {
    Router router = routers.remove(bus);
    if (router != null) {
      router.close();
      LOG.info("router of bus {} stopped", bus);
    }
  }

  @Override
  public synchronized void close() {
    routers.values().forEach(Router::close);
    routers.clear();
    producer.close(Duration.ofSeconds(10));
  }
}
