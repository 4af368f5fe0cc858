package dev.herald.bench.raw;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.bench.ingest.EventBodies;
import dev.herald.bench.load.DurationConverter;
import dev.herald.bench.load.Loopback;
import dev.herald.bench.load.NanoClock;
import dev.herald.bench.load.Outcome;
import dev.herald.bench.load.ProcessCpu;
import dev.herald.bench.load.Report;
import dev.herald.bench.load.Tally;
import dev.herald.bench.load.Window;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raw-produce}: the ceiling for ingest. A plain {@link KafkaProducer}, configured like
 * Herald's ingest producer (acks=all, idempotent, linger 2 ms, 256 KiB batches, lz4), writes
 * records shaped like Herald's bus records (same JSON, no key) to a topic with as many partitions
 * as the bus topic, on the same broker. Closed loop, like {@code ingest --mode closed}: {@code
 * --concurrency} workers each send {@code --batch} records and wait until all are acknowledged; the
 * latency of a batch is the time until its last acknowledgement.
 */
@Command(
    name = "raw-produce",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description =
        "Produce straight to Kafka, configured like Herald's ingest producer (the ceiling).")
public final class RawProduceCommand implements Callable<Integer> {

  @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap (loopback only)")
  String bootstrap;

  @Option(
      names = "--topic",
      defaultValue = "bench.raw",
      description = "topic to write, created if missing")
  String topic;

  @Option(
      names = "--like-topic",
      defaultValue = "herald.bus.default",
      description = "topic whose partition count and topic configs the new topic copies")
  String likeTopic;

  @Option(names = "--batch", defaultValue = "100", description = "records per worker round")
  int batch;

  @Option(names = "--concurrency", defaultValue = "16", description = "concurrent workers")
  int concurrency;

  @Option(
      names = "--event-bytes",
      defaultValue = "300",
      description = "size of the publish entry each record is made from")
  int eventBytes;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "measured time")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "load before measuring, discarded")
  Duration warmup;

  @Option(names = "--seed", defaultValue = "42", description = "seed of the generated records")
  long seed;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    for (String server : bootstrap.split(",", -1)) {
      int colon = server.lastIndexOf(':');
      Loopback.require("--bootstrap", colon > 0 ? server.substring(0, colon) : server);
    }
    if (batch < 1
        || concurrency < 1
        || eventBytes < 1
        || duration.isZero()
        || duration.isNegative()) {
      throw new IllegalArgumentException(
          "--batch, --concurrency, --event-bytes and --duration must be positive");
    }
    int partitions = BenchTopic.ensureLike(bootstrap, topic, likeTopic);
    List<byte[]> records = records(4096);
    AtomicLong next = new AtomicLong();
    try (Producer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
      producer.partitionsFor(topic);
      NanoClock clock = NanoClock.system();
      Tally tally = new Tally(Window.of(clock.nanoTime(), warmup, duration));
      Thread driver =
          Thread.ofPlatform()
              .name("bench-driver")
              .start(() -> closedLoop(producer, records, next, clock, tally));
      double cpu = ProcessCpu.secondsDuring(clock, tally.window());
      driver.join();
      Tally.Result result = tally.result();
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("topic", topic);
      params.put("partitions", partitions);
      params.put("batch", batch);
      params.put("concurrency", concurrency);
      params.put("recordBytes", records.get(0).length);
      params.put("durationSec", duration.toMillis() / 1000.0);
      params.put("warmupSec", warmup.toMillis() / 1000.0);
      params.put("producer", producerMetrics(producer));
      Report.print(out, "raw-produce", params, result, cpu);
      return result.acceptedEvents() > 0 ? 0 : 2;
    }
  }

  private void closedLoop(
      Producer<byte[], byte[]> producer,
      List<byte[]> records,
      AtomicLong next,
      NanoClock clock,
      Tally tally) {
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < concurrency; w++) {
        workers.execute(
            () -> {
              for (long start = clock.nanoTime();
                  !tally.window().over(start);
                  start = clock.nanoTime()) {
                Outcome outcome = sendBatch(producer, records, next);
                tally.record(start, clock.nanoTime(), outcome);
              }
            });
      }
    }
  }

  /** Sends one batch of records and waits for all their acknowledgements. */
  private Outcome sendBatch(
      Producer<byte[], byte[]> producer, List<byte[]> records, AtomicLong next) {
    CountDownLatch acks = new CountDownLatch(batch);
    AtomicInteger failed = new AtomicInteger();
    Map<String, Integer> codes = new ConcurrentHashMap<>();
    for (int i = 0; i < batch; i++) {
      byte[] value = records.get((int) (next.getAndIncrement() % records.size()));
      try {
        var unused = // the callback counts the outcome
            producer.send(
                new ProducerRecord<>(topic, null, System.currentTimeMillis(), null, value),
                (metadata, error) -> {
                  if (error != null) {
                    failed.incrementAndGet();
                    codes.merge(error.getClass().getSimpleName(), 1, Integer::sum);
                  }
                  acks.countDown();
                });
      } catch (RuntimeException e) {
        failed.incrementAndGet();
        codes.merge(e.getClass().getSimpleName(), 1, Integer::sum);
        acks.countDown();
      }
    }
    try {
      if (!acks.await(30, TimeUnit.SECONDS)) {
        return new Outcome.Failure("timeout");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.Failure("interrupted");
    }
    return new Outcome.Answered(batch - failed.get(), failed.get(), codes);
  }

  /**
   * Record values shaped like Herald's bus records: the publish entry plus {@code time} and {@code
   * resources}, which Herald adds before appending.
   */
  private List<byte[]> records(int count) {
    EventBodies bodies = new EventBodies(seed);
    List<byte[]> values = new ArrayList<>(count);
    String time = Instant.now().toString();
    for (int i = 0; i < count; i++) {
      ObjectNode entry = bodies.entry(eventBytes);
      ObjectNode record = entry.objectNode();
      record.put("source", entry.path("source").asText());
      record.put("detailType", entry.path("detailType").asText());
      record.put("time", time);
      record.putArray("resources");
      record.set("detail", entry.get("detail"));
      values.add(EventBodies.bytes(record));
    }
    return List.copyOf(values);
  }

  /**
   * A few producer metrics that explain a throughput (how full its requests were, how long the
   * broker took), to compare with the same metrics of Herald's producer on {@code /metrics}.
   */
  private static Map<String, Double> producerMetrics(Producer<byte[], byte[]> producer) {
    Set<String> wanted =
        Set.of(
            "batch-size-avg",
            "records-per-request-avg",
            "request-latency-avg",
            "record-queue-time-avg",
            "compression-rate-avg");
    Map<String, Double> values = new TreeMap<>();
    producer
        .metrics()
        .forEach(
            (name, metric) -> {
              if ("producer-metrics".equals(name.group())
                  && wanted.contains(name.name())
                  && metric.metricValue() instanceof Double d) {
                values.put(name.name(), Math.round(d * 1000) / 1000.0);
              }
            });
    return values;
  }

  /** The settings of Herald's ingest producer ({@code EventAppender}). */
  static Properties producerConfig(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "herald-bench-raw");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return props;
  }
}
