package dev.herald.bench.analytics;

import dev.herald.analytics.AnalyticsConfig;
import dev.herald.analytics.AnalyticsRow;
import dev.herald.analytics.AnalyticsStats;
import dev.herald.analytics.AnalyticsStore;
import dev.herald.core.analytics.CountQuery;
import dev.herald.core.analytics.CountSeries;
import dev.herald.core.event.EventId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The analytics store on its own: loads N delivered events through its append path (the appender
 * thread, batches, delivery keys, per-minute counts) into a fresh DuckDB file, then measures count
 * queries over the rollups.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp herald-bench.jar \
 *     dev.herald.bench.analytics.AnalyticsBench --events 10000000
 * </pre>
 *
 * <p>Events: {@code --days} days of event time in publish order ending at 2026-11-26T00:00Z, 20
 * detail types of skewed popularity, each from one of 5 sources, 90% on bus {@code default} and 10%
 * on {@code orders}, envelopes of about 300 bytes, a random 128-bit delivery key each. Queries:
 * {@code --queries} of 1 hour at 1m and as many of 1 day at 1h, at random places in the data, by
 * detail type and by source in turn, top 10, after 5 of each as warm-up. Every {@value
 * #REDELIVERY_EVERY}th event is followed by a redelivery of one of the last {@value
 * #REDELIVERY_WINDOW} (as after a timeout); the run fails unless each event counts exactly once.
 */
@Command(
    name = "analytics-bench",
    mixinStandardHelpOptions = true,
    description = "Load the analytics store directly and time its count queries.")
public final class AnalyticsBench implements Callable<Integer> {
  static final Instant END = Instant.parse("2026-11-26T00:00:00Z");
  static final int DETAIL_TYPES = 20;
  static final int SOURCES = 5;

  /** Every this many events, one of the last {@link #REDELIVERY_WINDOW} is delivered again. */
  static final int REDELIVERY_EVERY = 100;

  static final int REDELIVERY_WINDOW = 10_000;

  @Option(
      names = "--events",
      defaultValue = "10000000",
      description = "Events to load. Default: ${DEFAULT-VALUE}")
  long events;

  @Option(
      names = "--days",
      defaultValue = "7",
      description = "Days of event time. Default: ${DEFAULT-VALUE}")
  int days;

  @Option(
      names = "--queries",
      defaultValue = "50",
      description = "Queries of each kind. Default: ${DEFAULT-VALUE}")
  int queries;

  @Option(
      names = "--memory-limit",
      defaultValue = "256MB",
      description = "DuckDB memory_limit. Default: ${DEFAULT-VALUE}")
  String memoryLimit;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "DuckDB threads. Default: ${DEFAULT-VALUE}")
  int threads;

  @Option(
      names = "--in-flight",
      defaultValue = "0",
      description =
          "Rows awaiting their commit at most, as deliveries do (a target's concurrency.max);"
              + " 0: no limit but the store's queue. Default: ${DEFAULT-VALUE}")
  int inFlight;

  @Option(
      names = "--dir",
      description = "Data directory (must not exist). Default: a temporary one, deleted after")
  Path dir;

  @Option(names = "--keep", description = "Keep the data directory")
  boolean keep;

  public static void main(String[] args) {
    System.exit(new CommandLine(new AnalyticsBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path data = dir != null ? dir : Files.createTempDirectory("herald-analytics-bench");
    if (dir != null && Files.exists(dir)) {
      throw new IllegalArgumentException(dir + " exists: the benchmark needs a fresh directory");
    }
    AnalyticsConfig config = AnalyticsConfig.duckdb(data).withDuckDb(memoryLimit, threads);
    System.out.printf(
        Locale.ROOT, "analytics bench: %,d events over %d days into %s%n", events, days, config);
    try {
      long loadNanos;
      try (AnalyticsStore store = AnalyticsStore.open(config, InstantSource.system())) {
        loadNanos = load(store);
        AnalyticsStats stats = store.stats();
        System.out.printf(
            Locale.ROOT,
            "appender: %,d batches, %.0f rows each on average%n",
            stats.batches(),
            (stats.stored() + stats.duplicates()) / (double) Math.max(1, stats.batches()));
        query(store, "1h at 1m", Duration.ofHours(1), CountQuery.Interval.MINUTE);
        query(store, "1d at 1h", Duration.ofDays(1), CountQuery.Interval.HOUR);
      }
      System.out.printf(
          Locale.ROOT,
          "ingestion: %,d events in %.1f s = %,.0f events/s; file %,d MiB; peak RSS %s%n",
          events,
          loadNanos / 1e9,
          events / (loadNanos / 1e9),
          size(data) >> 20,
          peakRss());
      return 0;
    } finally {
      if (!keep) {
        delete(data);
      }
    }
  }

  /**
   * Submits every event (waiting whenever the appender's queue is full); returns the nanoseconds to
   * the last commit.
   */
  private long load(AnalyticsStore store) {
    SplittableRandom random = new SplittableRandom(42);
    Instant start = END.minus(Duration.ofDays(days));
    long spanMillis = Duration.ofDays(days).toMillis();
    AtomicLong failed = new AtomicLong();
    AtomicLong counted = new AtomicLong();
    AnalyticsRow[] recent = new AnalyticsRow[REDELIVERY_WINDOW];
    Semaphore window = new Semaphore(inFlight > 0 ? inFlight : Integer.MAX_VALUE);
    CompletableFuture<Boolean> last = CompletableFuture.completedFuture(true);
    long began = System.nanoTime();
    long lap = began;
    for (long i = 0; i < events; i++) {
      Instant time = start.plusMillis(spanMillis * i / events);
      AnalyticsRow row = row(random, i, time);
      recent[(int) (i % REDELIVERY_WINDOW)] = row;
      last = tally(submit(store, row, window), failed, counted);
      if (i % REDELIVERY_EVERY == REDELIVERY_EVERY - 1) { // an earlier delivery, again
        AnalyticsRow again = recent[random.nextInt((int) Math.min(i + 1, REDELIVERY_WINDOW))];
        last = tally(submit(store, again, window), failed, counted);
      }
      if ((i + 1) % Math.max(1, events / 10) == 0) {
        long now = System.nanoTime();
        System.out.printf(
            Locale.ROOT,
            "  %,d submitted, %,.0f events/s over the last tenth, RSS %s%n",
            i + 1,
            (events / 10.0) / ((now - lap) / 1e9),
            rss());
        lap = now;
      }
    }
    last.join(); // one appender thread, first in first out: the last row commits last
    long nanos = System.nanoTime() - began;
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " events failed to commit");
    }
    long redelivered = events / REDELIVERY_EVERY;
    long total =
        store
            .counts(
                new CountQuery(
                    Optional.empty(),
                    CountQuery.GroupBy.DETAIL_TYPE,
                    CountQuery.Interval.DAY,
                    END.minus(Duration.ofDays(days + 1L)),
                    END.plus(Duration.ofDays(1)),
                    DETAIL_TYPES))
            .stream()
            .mapToLong(CountSeries::total)
            .sum();
    System.out.printf(
        Locale.ROOT,
        "exactly once: %,d events and %,d redeliveries submitted, %,d counted as new, %,d in the"
            + " counts%n",
        events,
        redelivered,
        counted.get(),
        total);
    if (counted.get() != events || total != events) {
      throw new IllegalStateException("the store counted redeliveries or lost events");
    }
    return nanos;
  }

  private static CompletableFuture<Boolean> submit(
      AnalyticsStore store, AnalyticsRow row, Semaphore window) {
    window.acquireUninterruptibly();
    return store.submit(row).whenComplete((isNew, error) -> window.release());
  }

  private static CompletableFuture<Boolean> tally(
      CompletableFuture<Boolean> future, AtomicLong failed, AtomicLong counted) {
    return future.whenComplete(
        (isNew, error) -> {
          if (error != null) {
            failed.incrementAndGet();
          } else if (isNew) {
            counted.incrementAndGet();
          }
        });
  }

  static AnalyticsRow row(SplittableRandom random, long i, Instant time) {
    int type = popular(random);
    String detailType = "Type" + type;
    String source = "svc" + (type % SOURCES) + ".example";
    String bus = random.nextInt(10) == 0 ? "orders" : "default";
    String eventId =
        new EventId(time.toEpochMilli(), bus.equals("default") ? 0 : 1, (int) (i % 4), i)
            .toString();
    String key =
        HexFormat.of().toHexDigits(random.nextLong())
            + HexFormat.of().toHexDigits(random.nextLong());
    String envelope =
        "{\"version\":\"0\",\"id\":\""
            + eventId
            + "\",\"detail-type\":\""
            + detailType
            + "\",\"source\":\""
            + source
            + "\",\"account\":\"000000000000\",\"time\":\""
            + time
            + "\",\"region\":\"local\",\"resources\":[],\"detail\":{\"orderId\":\"o-"
            + i
            + "\",\"customer\":{\"id\":\"c-"
            + random.nextInt(100_000)
            + "\",\"tier\":\"gold\"},"
            + "\"total\":"
            + random.nextInt(100_000) / 100.0
            + ",\"currency\":\"EUR\",\"items\":"
            + (1 + random.nextInt(9))
            + "}}";
    return new AnalyticsRow(
        key,
        eventId,
        bus,
        source,
        detailType,
        time,
        time.plusMillis(3),
        time.plusMillis(40),
        envelope);
  }

  /** A detail type, 0 the most frequent: roughly Zipf over {@value #DETAIL_TYPES} types. */
  private static int popular(SplittableRandom random) {
    double u = random.nextDouble();
    return Math.min(DETAIL_TYPES - 1, (int) Math.floor(Math.pow(DETAIL_TYPES + 1, u)) - 1);
  }

  private void query(
      AnalyticsStore store, String name, Duration range, CountQuery.Interval interval) {
    SplittableRandom random = new SplittableRandom(7);
    Histogram latency = new Histogram(60_000_000L, 3); // microseconds
    long spanMinutes = Duration.ofDays(days).minus(range).toMinutes();
    long points = 0;
    for (int i = -5; i < queries; i++) {
      Instant from =
          END.minus(Duration.ofDays(days))
              .plus(Duration.ofMinutes(random.nextLong(Math.max(1, spanMinutes))));
      CountQuery.GroupBy groupBy =
          i % 2 == 0 ? CountQuery.GroupBy.DETAIL_TYPE : CountQuery.GroupBy.SOURCE;
      CountQuery query =
          new CountQuery(Optional.empty(), groupBy, interval, from, from.plus(range), 10);
      long began = System.nanoTime();
      var series = store.counts(query);
      long micros = (System.nanoTime() - began) / 1000;
      if (i >= 0) {
        latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
        points += series.stream().mapToLong(s -> s.points().size()).sum();
      }
    }
    System.out.printf(
        Locale.ROOT,
        "query %s (top 10, %d queries, %.0f points each on average): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        name,
        queries,
        (double) points / Math.max(1, queries),
        latency.getValueAtPercentile(50) / 1000.0,
        latency.getValueAtPercentile(99) / 1000.0,
        latency.getMaxValue() / 1000.0);
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static String rss() {
    return status("VmRSS");
  }

  private static String peakRss() {
    return status("VmHWM");
  }

  private static String status(String field) {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith(field + ":"))
          .map(l -> (Long.parseLong(l.replaceAll("[^0-9]", "")) >> 10) + " MiB")
          .findFirst()
          .orElse("?");
    } catch (IOException | NumberFormatException e) {
      return "?";
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
