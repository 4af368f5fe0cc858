package dev.herald.engine.router;

import dev.herald.core.event.EventId;
import dev.herald.core.routing.RoutableEvent;
import dev.herald.core.routing.RoutingTable;
import dev.herald.core.routing.RoutingTable.Delivery;
import dev.herald.core.trace.Tracing;
import dev.herald.engine.inspect.BusTaps;
import dev.herald.engine.topic.CommitFailures;
import dev.herald.engine.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Routes one bus: reads {@code herald.bus.<bus>} in the consumer group {@code herald.router.<bus>}
 * (instances share the partitions), matches each event against the bus's routing table and writes
 * one record per (event, rule, target) to {@code herald.target.<target>} with the event's Kafka
 * key. A record without a key (the event has no ordering key) goes to the target's partitions in
 * turn, in runs of {@link #UNKEYED_RUN}: Kafka's sticky partitioner would put a whole burst on one
 * partition, and so on the one instance that owns it, while the others idle. A batch's offsets are
 * committed only after every record of it is acknowledged and its journey recorded, so a crash
 * routes the uncommitted events again, with the same delivery keys. The journey of a batch is
 * written while the next batch is routed (the store's write, up to tens of milliseconds on a busy
 * machine, is not on the path of the next events); the next step waits for it before it commits the
 * batch, and when it failed rewinds to the batch, so that it and what followed it are routed again.
 * The commit is asynchronous (the next poll does not wait for it), and synchronous when partitions
 * are revoked and on close, so that a new owner routes again only what a crash left uncommitted.
 *
 * <p>Threads: one platform thread runs {@link #runOnce} in a loop and owns the consumer; the
 * producer is shared and thread-safe; {@link #close} may be called from any thread.
 */
public final class Router implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /** Where journeys are written while the next batch is routed: a virtual thread each. */
  private static final Executor JOURNEY_WRITERS = Executors.newVirtualThreadPerTaskExecutor();

  /** Unkeyed target records written to one partition before the next partition's turn. */
  static final int UNKEYED_RUN = 16;

  private final String bus;
  private final int busOrdinal;
  private final RouterSettings settings;
  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final Function<String, RoutingTable> tables;
  private final RouteSink sink;
  private final BusTaps taps;
  private final InstantSource clock;
  private final Counter routed;
  private final Counter unmatched;
  private final Counter deliveries;
  private final Counter failures;
  private final RouteSpans spans; // router thread
  private final CommitFailures commitFailures;
  private final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>(); // router thread
  private Routed pending; // router thread: the batch whose journey is being written

  /** Router thread: unkeyed target records written per topic, for the next partition. */
  private final Map<String, int[]> unkeyed = new HashMap<>();

  private volatile boolean running = true;
  private Thread thread;

  /**
   * @param consumer this router's own consumer, not subscribed yet ({@link #consumer} makes the one
   *     Herald uses); the router owns and closes it
   * @param producer the shared producer of target records; not closed by the router
   */
  Router(
      String bus,
      int busOrdinal,
      RouterSettings settings,
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      Function<String, RoutingTable> tables,
      RouteSink sink,
      BusTaps taps,
      InstantSource clock,
      MeterRegistry metrics,
      Tracing tracing) {
    this.bus = bus;
    this.spans = new RouteSpans(tracing, bus);
    this.commitFailures = new CommitFailures("router of bus " + bus, clock);
    this.busOrdinal = busOrdinal;
    this.settings = settings;
    this.producer = producer;
    this.tables = tables;
    this.sink = sink;
    this.taps = taps;
    this.clock = clock;
    this.consumer = consumer;
    this.routed = counter(metrics, "herald.router.events", "result", "routed");
    this.unmatched = counter(metrics, "herald.router.events", "result", "unmatched");
    this.deliveries = counter(metrics, "herald.router.deliveries", "result", "written");
    this.failures = counter(metrics, "herald.router.batch.failures", "bus", bus);
  }

  private Counter counter(MeterRegistry metrics, String name, String tag, String value) {
    return Counter.builder(name).tag("bus", bus).tag(tag, value).register(metrics);
  }

  /** The consumer of a bus's router: group {@code herald.router.<bus>}, manual commits. */
  static Consumer<byte[], byte[]> consumer(String bus, RouterSettings settings) {
    return new KafkaConsumer<>(consumerProps(bus, settings));
  }

  private static Properties consumerProps(String bus, RouterSettings settings) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.routerGroup(bus));
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "herald-router-" + bus);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, settings.maxMessageBytes());
    // answered as soon as an event is appended; the wait only sets how often an idle router asks
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
    // a crashed instance's bus partitions move to the others within 10 s (Kafka's default: 45 s)
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Topics.SESSION_TIMEOUT_MS);
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return props;
  }

  /** Subscribes to the bus topic and starts the router's thread, which calls {@link #runOnce}. */
  void start() {
    subscribe();
    thread = Thread.ofPlatform().name("herald-router-" + bus).daemon().start(this::loop);
  }

  /**
   * Subscribes to the bus topic; on revocation the offsets routed so far are committed. {@link
   * #start} calls it; tests call it and then drive {@link #runOnce} themselves.
   */
  void subscribe() {
    consumer.subscribe(
        List.of(Topics.busTopic(bus)),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitRouted(); // so that the next owner does not route them again
            partitions.forEach(committed::remove);
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
        });
  }

  private void loop() {
    MDC.put("bus", bus); // this thread routes one bus: its lines carry it
    try {
      while (running) {
        try {
          runOnce();
        } catch (RouteFailure e) {
          failures.increment();
          LOG.warn("routing bus {} failed; retrying the batch: {}", bus, e.getCause().toString());
          sleep(settings.retryBackoff());
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("router of bus {} stopped: {}", bus, e.toString(), e);
    } finally {
      commitRouted();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Commits, synchronously, the offsets of everything routed so far, the batch whose journey is
   * being written included once it is (on revocation and close).
   */
  private void commitRouted() {
    if (pending != null) {
      Routed last = pending;
      pending = null;
      try {
        settle(last);
      } catch (RuntimeException e) { // not committed: routed again by whoever reads it next
        LOG.warn("router of bus {}: the journey of its last batch failed: {}", bus, e.toString());
      }
    }
    if (committed.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(new HashMap<>(committed));
    } catch (RuntimeException e) {
      LOG.warn("router of bus {} could not commit its offsets: {}", bus, e.toString());
    }
  }

  /**
   * One step: polls once and routes what arrived (target records acknowledged, its journey handed
   * to the store), then settles the previous batch (its journey recorded, its offsets committed
   * asynchronously, its events tapped); returns the number of events read. When a batch or the
   * previous one's journey fails, both are rewound and the failure thrown ({@code RouteFailure});
   * the loop pauses and calls it again.
   */
  int runOnce() {
    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
    Routed previous = pending;
    pending = null;
    Routed batch;
    try {
      batch = records.isEmpty() ? null : route(records);
    } catch (RuntimeException e) {
      throw failed(e, previous, records);
    }
    if (previous != null) {
      try {
        settle(previous);
      } catch (RuntimeException e) {
        throw failed(e, previous, records);
      }
    }
    if (batch != null) { // its journey is written while the next batch is routed
      spans.routed();
      pending = batch.startJournal(sink);
    }
    return records.count();
  }

  /**
   * Rewinds to the first record of the failed batch, and of the previous one unless its journey was
   * recorded (then it is settled here), so that they are routed again; the failure to throw.
   */
  private RouteFailure failed(
      RuntimeException e, Routed previous, ConsumerRecords<byte[], byte[]> records) {
    spans.failed(e);
    Map<TopicPartition, Long> to = new HashMap<>(firsts(records));
    if (previous != null && !settledQuietly(previous)) {
      to.putAll(previous.firsts()); // it came first
    }
    to.forEach(consumer::seek);
    return new RouteFailure(e);
  }

  private boolean settledQuietly(Routed previous) {
    try {
      previous.journey().join();
    } catch (CompletionException | CancellationException e) {
      return false;
    }
    settle(previous);
    return true;
  }

  /**
   * A batch routed: its target records acknowledged, its journey being written; what to commit and
   * tap once that is done, and where to rewind if it fails.
   */
  private record Routed(
      List<RoutedEvent> events,
      CompletableFuture<Void> journey,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      Map<TopicPartition, Long> firsts,
      List<RoutableEvent> read,
      List<? extends java.util.function.Consumer<RoutableEvent>> tapped) {

    /** This batch with its journey being written (on a virtual thread; none to write: done). */
    Routed startJournal(RouteSink sink) {
      CompletableFuture<Void> written =
          events.isEmpty()
              ? CompletableFuture.completedFuture(null)
              : CompletableFuture.runAsync(() -> sink.record(events), JOURNEY_WRITERS);
      return new Routed(events, written, offsets, firsts, read, tapped);
    }
  }

  private Routed route(ConsumerRecords<byte[], byte[]> records) {
    RoutingTable table = tables.apply(bus);
    List<? extends java.util.function.Consumer<RoutableEvent>> tapped = taps.of(bus);
    List<RoutableEvent> read = tapped == null ? null : new ArrayList<>(records.count());
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    List<RoutedEvent> journey = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      offsets.put(
          new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1));
      routeOne(record, table, sends, journey, read);
    }
    if (!sends.isEmpty()) {
      producer.flush(); // the batch waits for these acknowledgements: no reason to linger
    }
    awaitAll(sends);
    return new Routed(journey, null, offsets, firsts(records), read, tapped);
  }

  /** Waits for a batch's journey, then commits its offsets and taps its events. */
  private void settle(Routed batch) {
    try {
      batch.journey().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    consumer.commitAsync(batch.offsets(), commitFailures); // ordered; a failed one is covered
    committed.putAll(batch.offsets());
    if (batch.read()
        != null) { // after the batch is routed: a batch routed again is not tapped twice
      batch.tapped().forEach(batch.read()::forEach);
    }
  }

  private void routeOne(
      ConsumerRecord<byte[], byte[]> record,
      RoutingTable table,
      List<Future<RecordMetadata>> sends,
      List<RoutedEvent> journey,
      List<RoutableEvent> read) {
    if (table.ruleCount() == 0 && read == null) {
      unmatched.increment(); // nothing can match and nobody taps: no need to read the event
      return;
    }
    EventId id = new EventId(record.timestamp(), busOrdinal, record.partition(), record.offset());
    RoutableEvent event;
    try {
      event = RoutableEvent.read(id, bus, record.value(), settings.account(), settings.region());
    } catch (IllegalArgumentException e) {
      LOG.error("skipping a bus record that is not an event: {}", e.getMessage());
      return;
    }
    if (read != null) {
      read.add(event);
    }
    List<Delivery> routes = table.route(event, Optional.empty());
    if (routes.isEmpty()) {
      unmatched.increment();
      return;
    }
    boolean failed = false;
    Optional<String> trace = spans.start(record.headers(), id, routes);
    for (Delivery delivery : routes) {
      switch (delivery) {
        case Delivery.Ready ready ->
            sends.add(producer.send(targetRecord(record, id, ready, trace)));
        case Delivery.Failed f -> failed = true;
      }
    }
    routed.increment();
    deliveries.increment(routes.size());
    journey.add(
        new RoutedEvent(
            id.toString(),
            bus,
            clock.instant(),
            routes,
            failed
                ? Optional.of(new String(event.envelopeBytes(), StandardCharsets.UTF_8))
                : Optional.empty()));
  }

  private ProducerRecord<byte[], byte[]> targetRecord(
      ConsumerRecord<byte[], byte[]> source,
      EventId id,
      Delivery.Ready delivery,
      Optional<String> traceparent) {
    Headers headers = new RecordHeaders();
    TargetHeaders.write(headers, id, bus, delivery, source.headers(), traceparent);
    String topic = Topics.targetTopic(delivery.target());
    return new ProducerRecord<>(
        topic,
        source.key() == null ? inTurn(topic) : null,
        source.timestamp(),
        source.key(),
        delivery.input(),
        headers);
  }

  /**
   * The partition of {@code topic} for its next unkeyed record, or null (the producer's choice) for
   * a topic of one partition. Unkeyed records go to a target's partitions in runs of {@link
   * #UNKEYED_RUN}: spread, so that a burst is shared by the instances owning them, yet batched, so
   * that the producer writes a few batches per routed batch rather than one per record.
   */
  private Integer inTurn(String topic) {
    int partitions = producer.partitionsFor(topic).size(); // the producer's metadata, cached
    if (partitions <= 1) {
      return null;
    }
    int written = unkeyed.computeIfAbsent(topic, t -> new int[1])[0]++;
    return Math.floorMod(written / UNKEYED_RUN, partitions);
  }

  private static void awaitAll(List<Future<RecordMetadata>> sends) {
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("a target record was not stored", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while routing", e);
      }
    }
  }

  private static Map<TopicPartition, Long> firsts(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, Long> firsts = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      firsts.put(partition, records.records(partition).getFirst().offset());
    }
    return firsts;
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String bus() {
    return bus;
  }

  @Override
  public void close() {
    running = false;
    if (thread == null) {
      commitRouted(); // never started: the caller drove runOnce on its own thread
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

  /** A batch that could not be routed completely; it is rewound and tried again. */
  static final class RouteFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RouteFailure(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
