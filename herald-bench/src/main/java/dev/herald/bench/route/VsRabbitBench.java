package dev.herald.bench.route;

import dev.herald.bench.load.ProcStat;
import dev.herald.bench.rabbit.ConfirmedPublisher;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.HdrHistogram.Histogram;

/**
 * One side of {@code herald-bench/run-vs-rabbit.sh} (issue 10, goals 2 and 3): Herald or the
 * hand-built RabbitMQ baseline, with the same local {@link Receiver}, the same 300-byte events and
 * the same measurements, so that the script can run both in turn and compare.
 *
 * <pre>
 * java -Dclk.tck=$(getconf CLK_TCK) -cp herald-bench.jar dev.herald.bench.route.VsRabbitBench \
 *   --system=herald --herald-url=URL --cpu-pids=PID [options]
 * java ... VsRabbitBench --system=rabbit --amqp=amqp://guest:guest@127.0.0.1:5672 \
 *   --cpu-pids=BEAM_PID --prefix=herald-bench-vs.1 [options]
 * java ... VsRabbitBench --system=rabbit --cleanup --prefix=herald-bench-vs.1   # delete its topology
 * </pre>
 *
 * Options (defaults): {@code --label=SYSTEM}, {@code --phases=throughput,latency,neighbours},
 * {@code --events=60000}, {@code --warmup-events=max(10000, events/4)}, {@code --seconds=20} (per
 * latency run, after {@code --latency-warmup=5} s), {@code --rates=1000,3000} (events/s, each to 3
 * consumers), {@code --neighbour-rate=1000}, {@code --fail-status=500}, {@code --slow-ms=2000},
 * {@code --consumer-java-opts=-Xmx512m} (RabbitMQ's consumer JVM).
 *
 * <ul>
 *   <li>throughput: publishes the warm-up and waits until it is delivered 3 times, then publishes
 *       EVENTS as fast as the publisher goes (Herald: 8 HTTP workers × batches of 100; RabbitMQ:
 *       one channel, confirms, window 100) and counts deliveries at the receiver until all 3 ×
 *       EVENTS arrived (at most 5 minutes): deliveries/s; CPU per delivery = the CPU of the
 *       processes of {@code --cpu-pids} (plus, for RabbitMQ, the consumer JVM) over that span
 *       divided by the deliveries.
 *   <li>latency: per rate, an open loop of 10 events every 10/rate s; per delivery, receive time
 *       minus ingestion time (Herald: the time in its event id; RabbitMQ: the publish time):
 *       p50/p90/p99/max.
 *   <li>neighbours: a consumer answering {@code --fail-status} and one answering after {@code
 *       --slow-ms} join the 3 healthy ones on the same rule (exchange); the healthy deliveries'
 *       latency at {@code --neighbour-rate}.
 * </ul>
 *
 * Results go to standard output as {@code RESULT LABEL KEY VALUE} lines. Bounded in events and
 * time; loopback only.
 */
public final class VsRabbitBench {
  static final List<String> HEALTHY = List.of("deliver-t1", "deliver-t2", "deliver-t3");
  static final String FAILING = "deliver-failing";
  static final String SLOW = "deliver-slow";

  private VsRabbitBench() {}

  /** One system under test, as the phases drive it. */
  interface Side extends AutoCloseable {
    /** Sets up the 3 healthy consumers (and, with {@code neighbours}, the failing and slow one). */
    void setUp(Receiver receiver, boolean neighbours) throws Exception;

    /** Publishes {@code events} events as fast as the publisher goes; returns when accepted. */
    void publishAll(long events) throws Exception;

    /** Publishes 10 events without waiting for them (the open loop's step). */
    void publishTen(ExecutorService executor) throws Exception;

    /** CPU so far of the processes this side's cost is measured on, in nanoseconds. */
    long cpuNanos() throws IOException;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    String system = required(options, "system");
    Side side =
        switch (system) {
          case "herald" -> new HeraldSide(required(options, "herald-url"), pids(options));
          case "rabbit" ->
              new RabbitSide(
                  options.getOrDefault("amqp", "amqp://guest:guest@127.0.0.1:5672"),
                  required(options, "prefix"),
                  pids(options),
                  options.getOrDefault("consumer-java-opts", "-Xmx512m"));
          default ->
              throw new IllegalArgumentException(
                  "--system: " + system + " is neither herald nor rabbit");
        };
    if (options.containsKey("cleanup")) {
      side.close(); // RabbitMQ: deletes the queues and exchanges under --prefix
      return;
    }
    String label = options.getOrDefault("label", system);
    List<String> phases =
        Arrays.asList(options.getOrDefault("phases", "throughput,latency,neighbours").split(","));
    long events = number(options, "events", 60_000);
    long warmup = number(options, "warmup-events", Math.max(10_000, events / 400 * 100));
    if (events % 100 != 0 || warmup % 100 != 0) {
      throw new IllegalArgumentException(
          "--events and --warmup-events: "
              + events
              + " and "
              + warmup
              + " must be multiples of 100 (Herald's side publishes batches of 100)");
    }
    int seconds = (int) number(options, "seconds", 20);
    int latencyWarmup = (int) number(options, "latency-warmup", 5);
    int neighbourRate = (int) number(options, "neighbour-rate", 1_000);
    List<Integer> rates = new ArrayList<>();
    for (String r : options.getOrDefault("rates", "1000,3000").split(",")) {
      rates.add((int) number(Map.of("rates", r), "rates", 0));
    }
    Receiver receiver =
        Receiver.start(
            (int) number(options, "fail-status", 500),
            Duration.ofMillis(number(options, "slow-ms", 2_000)));
    Results results = new Results(label);
    try (side;
        receiver) {
      side.setUp(receiver, false);
      if (phases.contains("throughput")) {
        throughput(side, receiver, warmup, events, results);
      }
      if (phases.contains("latency")) {
        for (int rate : rates) {
          latency(side, receiver, rate, seconds, latencyWarmup, results, "");
        }
      }
      if (phases.contains("neighbours")) {
        side.setUp(receiver, true);
        latency(side, receiver, neighbourRate, seconds, latencyWarmup, results, "neighbours_");
        System.out.printf(
            Locale.ROOT,
            "%s: neighbours answered: %d failed calls (status %s), %d slow calls%n",
            label,
            receiver.failed(),
            options.getOrDefault("fail-status", "500"),
            receiver.slowAnswered());
      }
    }
  }

  /** Prints and keeps {@code RESULT label key value} lines. */
  record Results(String label) {
    void put(String key, double value) {
      System.out.printf(Locale.ROOT, "RESULT %s %s %.1f%n", label, key, value);
    }
  }

  private static void throughput(
      Side side, Receiver receiver, long warmup, long events, Results results) throws Exception {
    long base = receiver.received();
    side.publishAll(warmup);
    awaitDeliveries(receiver, base + 3 * warmup, Duration.ofMinutes(5));
    long before = receiver.received();
    long cpuBefore = side.cpuNanos();
    long start = System.nanoTime();
    side.publishAll(events);
    double publishSeconds = (System.nanoTime() - start) / 1e9;
    awaitDeliveries(receiver, before + 3 * events, Duration.ofMinutes(5));
    double seconds = (System.nanoTime() - start) / 1e9;
    long done = receiver.received() - before;
    double cpuMicros = (side.cpuNanos() - cpuBefore) / 1e3 / Math.max(1, done);
    System.out.printf(
        Locale.ROOT,
        "%s: after a warm-up of %d events: published %d events in %.1f s; %d of %d deliveries in"
            + " %.1f s: %.0f deliveries/s; CPU %.0f µs per delivery%n",
        results.label(),
        warmup,
        events,
        publishSeconds,
        done,
        3 * events,
        seconds,
        done / seconds,
        cpuMicros);
    results.put("deliveries_per_s", done / seconds);
    results.put("cpu_us_per_delivery", cpuMicros);
    results.put("published_events_per_s", events / publishSeconds);
  }

  private static void awaitDeliveries(Receiver receiver, long count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (receiver.received() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static void latency(
      Side side,
      Receiver receiver,
      int rate,
      int seconds,
      int warmup,
      Results results,
      String prefix)
      throws Exception {
    if (rate < 10) {
      throw new IllegalArgumentException("rate: " + rate + " events/s is below 10");
    }
    long stepsPerSecond = rate / 10;
    long period = 1_000_000_000L / stepsPerSecond;
    long base = receiver.received();
    long steps = (seconds + warmup) * stepsPerSecond;
    long start = System.nanoTime();
    boolean measuring = false;
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long i = 0; i < steps; i++) {
        long wait = start + i * period - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(Duration.ofNanos(wait));
        }
        // with neighbours, measure once the failing one is called (a new Herald target takes
        // a few seconds to get its first event), at the latest at the last step
        if (!measuring
            && i >= warmup * stepsPerSecond
            && (prefix.isEmpty() || receiver.failed() > 0 || i == steps - 1)) {
          if (!prefix.isEmpty() && receiver.failed() == 0) {
            System.out.println(results.label() + ": the failing neighbour was never called");
          }
          receiver.measure();
          measuring = true;
        }
        side.publishTen(executor);
      }
    }
    awaitDeliveries(receiver, base + 30 * steps, Duration.ofSeconds(10));
    Histogram latency = receiver.stopMeasuring();
    System.out.printf(
        Locale.ROOT,
        "%s: ingest -> receiver at %d events/s x 3 consumers%s: %d deliveries, p50 %d ms, p90 %d"
            + " ms, p99 %d ms, max %d ms%n",
        results.label(),
        rate,
        prefix.isEmpty() ? "" : " (with a failing and a slow neighbour)",
        latency.getTotalCount(),
        latency.getValueAtPercentile(50),
        latency.getValueAtPercentile(90),
        latency.getValueAtPercentile(99),
        latency.getMaxValue());
    String at = prefix.isEmpty() ? "_at_" + rate : "";
    results.put(prefix + "p50_ms" + at, latency.getValueAtPercentile(50));
    results.put(prefix + "p99_ms" + at, latency.getValueAtPercentile(99));
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String a : args) {
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("argument: " + a + " is not --name=value");
      }
      int eq = a.indexOf('=');
      options.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "" : a.substring(eq + 1));
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  static long number(Map<String, String> options, String name, long fallback) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--" + name + ": " + value + " is not a number >= 0");
  }

  private static List<Long> pids(Map<String, String> options) {
    List<Long> pids = new ArrayList<>();
    for (String p : options.getOrDefault("cpu-pids", "").split(",")) {
      if (!p.isBlank()) {
        pids.add(number(Map.of("cpu-pids", p), "cpu-pids", 0));
      }
    }
    return pids;
  }

  static long cpuNanos(List<Long> pids) throws IOException {
    long total = 0;
    for (long pid : pids) {
      total += ProcStat.cpuNanos(pid);
    }
    return total;
  }

  /** The request body of {@code size} events, each the baseline's 300-byte message. */
  static String batch(int size, long first) {
    StringBuilder b = new StringBuilder("{\"entries\":[");
    for (int i = 0; i < size; i++) {
      b.append(i == 0 ? "" : ",")
          .append(
              new String(
                  ConfirmedPublisher.message(first + i), java.nio.charset.StandardCharsets.UTF_8));
    }
    return b.append("]}").toString();
  }
}
