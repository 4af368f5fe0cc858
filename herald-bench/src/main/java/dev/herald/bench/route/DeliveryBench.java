package dev.herald.bench.route;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Delivery benchmark against a running Herald, in one of four modes:
 *
 * <pre>
 * java -cp herald-bench.jar dev.herald.bench.route.DeliveryBench URL [EVENTS] [LAT_SECONDS] [MODE] [RATE]
 * </pre>
 *
 * <ul>
 *   <li>{@code webhook} (default): 3 webhook targets on one local receiver (in this JVM), a rule
 *       sending every event to all three. Throughput: after a warm-up (a quarter of EVENTS, at
 *       least 10,000, delivered), publishes EVENTS events (batches of 100) and measures
 *       deliveries/s at the receiver until all 3 × EVENTS arrived (or 5 minutes). Latency: RATE
 *       events/s (default 5,000) in batches of 10 for LAT_SECONDS; per delivery, receive time minus
 *       the ingestion time encoded in its event id: p50/p99 from ingestion to the receiver.
 *   <li>{@code neighbours}: the same 3 healthy targets plus, on the same rule, one target whose
 *       receiver always answers 503 and one that answers after 5 s; only the healthy deliveries are
 *       measured, to compare with {@code webhook}.
 *   <li>{@code log}: 3 {@code log} targets (run Herald with HERALD_TARGET_LOG_LEVEL=OFF, so the
 *       lines are formatted but not written); deliveries are counted from Herald's metrics.
 *   <li>{@code analytics}: 3 {@code analytics} targets, so every event is 3 rows (3 delivery keys)
 *       committed to the analytics store, at the type's default {@code concurrency.max} (512);
 *       counted from Herald's metrics, like {@code log}.
 * </ul>
 *
 * <p>After the throughput phase, {@code webhook} and {@code neighbours} measure latency at RATE;
 * {@code log} and {@code analytics} publish at RATE for LAT_SECONDS instead and report the largest
 * backlog (read from the metrics each second) and how long it took to drain: whether the targets
 * keep up at that rate.
 */
public final class DeliveryBench {
  private static final Pattern DELIVERED =
      Pattern.compile(
          "(?m)^herald_delivery_attempts_total\\{result=\"Delivered\",target=\"deliver-t\\d\"} ([0-9.E+]+)$");

  private DeliveryBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    long events = args.length > 1 ? Long.parseLong(args[1]) : 60_000;
    int latencySeconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    String mode = args.length > 3 ? args[3] : "webhook";
    int rate = args.length > 4 ? Integer.parseInt(args[4]) : 5_000;
    try (Receiver receiver = Receiver.start(503, Duration.ofSeconds(5))) {
      List<String> targets = new ArrayList<>(List.of("deliver-t1", "deliver-t2", "deliver-t3"));
      for (String t : targets) {
        RouteBench.put(url + "/v1/targets/" + t, target(mode, receiver.url("/hook")));
      }
      if (mode.equals("neighbours")) {
        RouteBench.put(url + "/v1/targets/deliver-failing", target(mode, receiver.url("/fail")));
        RouteBench.put(url + "/v1/targets/deliver-slow", target(mode, receiver.url("/slow")));
        targets.addAll(List.of("deliver-failing", "deliver-slow"));
      }
      StringBuilder rule = new StringBuilder();
      for (String t : targets) {
        rule.append(rule.isEmpty() ? "" : ",").append("{\"target\":\"").append(t).append("\"}");
      }
      RouteBench.put(
          url + "/v1/buses/default/rules/deliver-all",
          "{\"pattern\":{\"source\":[\"" + RouteBench.SOURCE + "\"]},\"targets\":[" + rule + "]}");
      boolean inProcess = mode.equals("log") || mode.equals("analytics");
      throughput(url, events, inProcess ? () -> deliveredSoFar(url) : receiver::received);
      if (inProcess) {
        sustained(url, latencySeconds, rate, mode);
      } else {
        latency(url, latencySeconds, rate, receiver, mode);
      }
    }
  }

  private static String target(String mode, String url) {
    if (mode.equals("log")) {
      return "{\"type\":\"log\",\"concurrency\":{\"max\":64}}";
    }
    if (mode.equals("analytics")) {
      return "{\"type\":\"analytics\"}"; // concurrency.max: the type's default, 512
    }
    return "{\"type\":\"webhook\",\"webhook\":{\"url\":\""
        + url
        + "\"},\"concurrency\":{\"max\":64},\"timeoutMs\":10000}";
  }

  private static final Pattern CPU = Pattern.compile("(?m)^process_cpu_time_ns_total ([0-9.E+]+)$");

  /** Herald's process CPU time so far, from its metrics. */
  private static double cpuNanos(String url) throws Exception {
    Matcher m = CPU.matcher(RouteBench.get(url + "/metrics"));
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** Deliveries to deliver-t1..3 so far, from Herald's metrics. */
  private static long deliveredSoFar(String url) {
    try {
      Matcher m = DELIVERED.matcher(RouteBench.get(url + "/metrics"));
      double total = 0;
      while (m.find()) {
        total += Double.parseDouble(m.group(1));
      }
      return (long) total;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every 200 ms, not 50: in-process modes count deliveries from /metrics, and each scrape formats
   * the whole exposition; polled every 50 ms, scrapes were 30% of Herald's allocations in a JFR
   * profile of the log mode, a cost of the measurement rather than of delivery.
   */
  private static final long POLL_MS = 200;

  private static void throughput(String url, long events, LongSupplier received) throws Exception {
    long warmup = Math.max(10_000, events / 4); // JIT: a fresh JVM compiles for ~30 s
    RouteBench.Publisher.publish(url, warmup, 100, 8);
    long warmed = 3 * warmup;
    long warmupDeadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (received.getAsLong() < warmed && System.nanoTime() < warmupDeadline) {
      Thread.sleep(POLL_MS);
    }
    LongSupplier measured = () -> received.getAsLong() - warmed;
    double cpuBefore = cpuNanos(url);
    long start = System.nanoTime();
    RouteBench.Publisher.publish(url, events, 100, 8);
    double ingestSeconds = (System.nanoTime() - start) / 1e9;
    long target = 3 * events;
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    long done;
    while ((done = measured.getAsLong()) < target && System.nanoTime() < deadline) {
      Thread.sleep(POLL_MS);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuPerDelivery = (cpuNanos(url) - cpuBefore) / 1e3 / Math.max(1, done);
    System.out.printf(
        Locale.ROOT,
        "after a warm-up of %d events: published %d events in %.1f s; %d of %d deliveries in"
            + " %.1f s: %.0f deliveries/s (%.0f per target); Herald CPU %.0f µs per delivery"
            + " (ingest and routing included)%n",
        warmup,
        events,
        ingestSeconds,
        done,
        target,
        seconds,
        done / seconds,
        done / seconds / 3,
        cpuPerDelivery);
  }

  /**
   * Whether in-process targets keep up at {@code rate} events/s: publishes for {@code seconds},
   * reads the delivered count from the metrics every second, and reports the largest backlog (3
   * deliveries per published event not delivered yet) and how long the last one took to drain.
   */
  private static void sustained(String url, int seconds, int rate, String mode) throws Exception {
    String body = RouteBench.Publisher.batch(10);
    long requestsPerSecond = rate / 10; // batches of 10
    long period = 1_000_000_000L / requestsPerSecond;
    long before = deliveredSoFar(url);
    long maxBacklog = 0;
    long start = System.nanoTime();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long i = 0; i < seconds * requestsPerSecond; i++) {
        long wait = start + i * period - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(Duration.ofNanos(wait));
        }
        executor.execute(() -> RouteBench.Publisher.post(url, body));
        if (i % requestsPerSecond == requestsPerSecond - 1) {
          long published = (i + 1) * 10;
          maxBacklog = Math.max(maxBacklog, 3 * published - (deliveredSoFar(url) - before));
        }
      }
    }
    long end = System.nanoTime();
    long target = 3L * seconds * rate;
    long deadline = end + Duration.ofMinutes(2).toNanos();
    while (deliveredSoFar(url) - before < target && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long drained = deliveredSoFar(url) - before;
    System.out.printf(
        Locale.ROOT,
        "%d events/s x 3 %s targets for %d s: largest backlog %d deliveries (%.2f s of load);"
            + " %d of %d delivered %.2f s after the last publish%n",
        rate,
        mode,
        seconds,
        maxBacklog,
        maxBacklog / (3.0 * rate),
        drained,
        target,
        (System.nanoTime() - end) / 1e9);
  }

  private static void latency(String url, int seconds, int rate, Receiver receiver, String mode)
      throws Exception {
    String body = RouteBench.Publisher.batch(10);
    long requestsPerSecond = rate / 10; // batches of 10
    long period = 1_000_000_000L / requestsPerSecond;
    int warmup = 5;
    long start = System.nanoTime();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long i = 0; i < (seconds + warmup) * requestsPerSecond; i++) {
        long wait = start + i * period - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(Duration.ofNanos(wait));
        }
        if (i == warmup * requestsPerSecond) {
          receiver.measure();
        }
        executor.execute(() -> RouteBench.Publisher.post(url, body));
      }
    }
    Thread.sleep(3000);
    Histogram latency = receiver.stopMeasuring();
    System.out.printf(
        Locale.ROOT,
        "ingest -> receiver at %d events/s x 3 webhook targets%s: %d deliveries, p50 %d ms,"
            + " p90 %d ms, p99 %d ms, max %d ms%n",
        rate,
        mode.equals("neighbours") ? " (with a failing and a slow neighbour)" : "",
        latency.getTotalCount(),
        latency.getValueAtPercentile(50),
        latency.getValueAtPercentile(90),
        latency.getValueAtPercentile(99),
        latency.getMaxValue());
  }
}
