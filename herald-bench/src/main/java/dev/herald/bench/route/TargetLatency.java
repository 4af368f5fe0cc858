package dev.herald.bench.route;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Publishes at a fixed rate (open loop) and measures, per event, the time from its ingestion (the
 * {@code herald-ingested-at} header) to its arrival on a target topic's consumer.
 */
final class TargetLatency {
  private TargetLatency() {}

  static void run(String url, String bootstrap, int seconds) throws Exception {
    String topic = "herald.target.bench-t1";
    Histogram histogram = new Histogram(60_000, 3);
    AtomicBoolean measuring = new AtomicBoolean(false);
    AtomicBoolean stop = new AtomicBoolean(false);
    Thread reader =
        Thread.ofPlatform().start(() -> consume(bootstrap, topic, histogram, measuring, stop));
    String body = RouteBench.Publisher.batch(10);
    long periodNanos = 1_000_000_000L / 500; // 500 requests of 10 events per second
    int warmup = 10;
    long start = System.nanoTime();
    long requests = (long) (seconds + warmup) * 500;
    try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (long i = 0; i < requests; i++) {
        long due = start + i * periodNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(Duration.ofNanos(wait));
        }
        if (i == (long) warmup * 500) {
          measuring.set(true);
        }
        executor.execute(() -> RouteBench.Publisher.post(url, body));
      }
    }
    Thread.sleep(2000);
    stop.set(true);
    reader.join();
    System.out.printf(
        Locale.ROOT,
        "ingest -> target topic over %d s at 5000 events/s: %d events, p50 %d ms, p90 %d ms,"
            + " p99 %d ms, p99.9 %d ms, max %d ms%n",
        seconds,
        histogram.getTotalCount(),
        histogram.getValueAtPercentile(50),
        histogram.getValueAtPercentile(90),
        histogram.getValueAtPercentile(99),
        histogram.getValueAtPercentile(99.9),
        histogram.getMaxValue());
  }

  private static void consume(
      String bootstrap,
      String topic,
      Histogram histogram,
      AtomicBoolean measuring,
      AtomicBoolean stop) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      while (!stop.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          Header ingested = r.headers().lastHeader("herald-ingested-at");
          if (measuring.get() && ingested != null) {
            long at = Long.parseLong(new String(ingested.value(), StandardCharsets.UTF_8));
            histogram.recordValue(Math.max(0, Math.min(60_000, System.currentTimeMillis() - at)));
          }
        }
      }
    }
  }
}
