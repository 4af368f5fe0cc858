package dev.herald.bench.route;

import com.sun.net.httpserver.HttpServer;
import dev.herald.core.event.EventId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Delivery benchmark against a running Herald: 3 webhook targets on one local receiver (in this
 * JVM) and a rule sending every benchmark event to all three.
 *
 * <pre>
 * java -cp herald-bench.jar dev.herald.bench.route.DeliveryBench URL [EVENTS] [LAT_SECONDS]
 * </pre>
 *
 * <ol>
 *   <li>throughput: publishes EVENTS events (batches of 100) and measures deliveries/s at the
 *       receiver until all 3 × EVENTS arrived (or 5 minutes);
 *   <li>latency: 5,000 events/s in batches of 10 for LAT_SECONDS; per delivery, receive time minus
 *       the ingestion time encoded in its event id: p50/p99 from ingestion to the receiver.
 * </ol>
 */
public final class DeliveryBench {
  private DeliveryBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    long events = args.length > 1 ? Long.parseLong(args[1]) : 60_000;
    int latencySeconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    AtomicLong received = new AtomicLong();
    AtomicBoolean measuring = new AtomicBoolean();
    Histogram latency = new ConcurrentHistogram(60_000, 3);
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          received.incrementAndGet();
          String id = exchange.getRequestHeaders().getFirst("herald-event-id");
          if (measuring.get() && id != null) {
            EventId.parse(id)
                .ifPresent(
                    e ->
                        latency.recordValue(
                            Math.max(
                                0,
                                Math.min(
                                    60_000, System.currentTimeMillis() - e.ingestedAtMillis()))));
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try {
      String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      for (int i = 1; i <= 3; i++) {
        RouteBench.put(
            url + "/v1/targets/deliver-t" + i,
            "{\"type\":\"webhook\",\"webhook\":{\"url\":\""
                + hook
                + "\"},\"concurrency\":{\"max\":64}}");
      }
      RouteBench.put(
          url + "/v1/buses/default/rules/deliver-all",
          "{\"pattern\":{\"source\":[\""
              + RouteBench.SOURCE
              + "\"]},\"targets\":[{\"target\":\"deliver-t1\"},"
              + "{\"target\":\"deliver-t2\"},{\"target\":\"deliver-t3\"}]}");
      throughput(url, events, received);
      latency(url, latencySeconds, latency, measuring);
    } finally {
      receiver.stop(0);
    }
  }

  private static void throughput(String url, long events, AtomicLong received) throws Exception {
    long start = System.nanoTime();
    RouteBench.Publisher.publish(url, events, 100, 8);
    double ingestSeconds = (System.nanoTime() - start) / 1e9;
    long target = 3 * events;
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (received.get() < target && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "published %d events in %.1f s; %d of %d deliveries in %.1f s: %.0f deliveries/s"
            + " (%.0f per target)%n",
        events,
        ingestSeconds,
        received.get(),
        target,
        seconds,
        received.get() / seconds,
        received.get() / seconds / 3);
  }

  private static void latency(String url, int seconds, Histogram latency, AtomicBoolean measuring)
      throws Exception {
    String body = RouteBench.Publisher.batch(10);
    long period = 1_000_000_000L / 500;
    int warmup = 5;
    long start = System.nanoTime();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long i = 0; i < (long) (seconds + warmup) * 500; i++) {
        long wait = start + i * period - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(Duration.ofNanos(wait));
        }
        if (i == (long) warmup * 500) {
          measuring.set(true);
        }
        executor.submit(() -> RouteBench.Publisher.post(url, body));
      }
    }
    Thread.sleep(3000);
    System.out.printf(
        Locale.ROOT,
        "ingest -> receiver at 5000 events/s x 3 webhook targets: %d deliveries, p50 %d ms,"
            + " p90 %d ms, p99 %d ms, max %d ms%n",
        latency.getTotalCount(),
        latency.getValueAtPercentile(50),
        latency.getValueAtPercentile(90),
        latency.getValueAtPercentile(99),
        latency.getMaxValue());
  }
}
