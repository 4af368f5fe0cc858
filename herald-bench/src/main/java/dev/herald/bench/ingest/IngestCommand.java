package dev.herald.bench.ingest;

import dev.herald.bench.load.DurationConverter;
import dev.herald.bench.load.Loopback;
import dev.herald.bench.load.NanoClock;
import dev.herald.bench.load.OpenLoopPacer;
import dev.herald.bench.load.Outcome;
import dev.herald.bench.load.ProcessCpu;
import dev.herald.bench.load.Report;
import dev.herald.bench.load.Sleeper;
import dev.herald.bench.load.Tally;
import dev.herald.bench.load.Window;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ingest}: publishes batches of events to {@code POST /v1/events} for a bounded time and
 * reports accepted events per second and acknowledgement latency.
 *
 * <ul>
 *   <li>{@code --mode closed}: {@code --concurrency} workers (virtual threads), each sending its
 *       next request as soon as the previous one is answered; measures the most the server takes.
 *   <li>{@code --mode open}: requests start on a fixed schedule of {@code --rate} events per second
 *       whatever the answers do; latency counts from the intended start, so a stall shows up in the
 *       percentiles of every request it delayed (no coordinated omission).
 * </ul>
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = "Load POST /v1/events with batches of events (closed or open loop).")
public final class IngestCommand implements Callable<Integer> {

  /** The loop that decides when requests start. */
  public enum Mode {
    open,
    closed
  }

  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8080",
      description = "Herald base URL (loopback only)")
  String url;

  @Option(names = "--batch", defaultValue = "100", description = "events per request")
  int batch;

  @Option(
      names = "--event-bytes",
      defaultValue = "300",
      description = "serialized size of each entry in bytes")
  int eventBytes;

  @Option(names = "--mode", defaultValue = "closed", description = "open or closed loop")
  Mode mode;

  @Option(names = "--rate", defaultValue = "5000", description = "open loop: events per second")
  double rate;

  @Option(
      names = "--concurrency",
      defaultValue = "16",
      description = "closed loop: concurrent workers (= HTTP connections)")
  int concurrency;

  @Option(
      names = "--max-in-flight",
      defaultValue = "1024",
      description =
          "open loop: cap on requests in flight (late ones still count from their intended time)")
  int maxInFlight;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "measured time")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "load before measuring, discarded")
  Duration warmup;

  @Option(
      names = "--timeout",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "per request")
  Duration timeout;

  @Option(names = "--bodies", defaultValue = "64", description = "distinct request bodies reused")
  int bodies;

  @Option(names = "--seed", defaultValue = "42", description = "seed of the generated events")
  long seed;

  private final PrintStream out;

  public IngestCommand() {
    this(System.out);
  }

  IngestCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    URI endpoint = endpoint(url);
    Loopback.require("--url", endpoint.getHost());
    check();
    List<byte[]> pool = new EventBodies(seed).requests(bodies, batch, eventBytes);
    AtomicLong next = new AtomicLong();
    try (ExecutorService httpThreads = Executors.newVirtualThreadPerTaskExecutor();
        HttpClient client =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(httpThreads)
                .build()) {
      PublishSender sender = new PublishSender(client, endpoint, timeout);
      Outcome first = sender.send(pool.get(0));
      if (!(first instanceof Outcome.Answered a) || a.accepted() == 0) {
        System.err.println(
            "ingest: the first request to " + endpoint + " was not accepted: " + first);
        return 1;
      }
      NanoClock clock = NanoClock.system();
      Tally tally = new Tally(Window.of(clock.nanoTime(), warmup, duration));
      Runnable load =
          switch (mode) {
            case closed -> () -> closedLoop(sender, pool, next, clock, tally);
            case open -> () -> openLoop(sender, pool, next, clock, tally);
          };
      Thread driver = Thread.ofPlatform().name("bench-driver").start(load);
      double cpu = ProcessCpu.secondsDuring(clock, tally.window());
      driver.join();
      Tally.Result result = tally.result();
      Report.print(out, "ingest", params(), result, cpu);
      return result.acceptedEvents() > 0 ? 0 : 2;
    }
  }

  private void closedLoop(
      PublishSender sender, List<byte[]> pool, AtomicLong next, NanoClock clock, Tally tally) {
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < concurrency; w++) {
        workers.execute(
            () -> {
              for (long start = clock.nanoTime();
                  !tally.window().over(start);
                  start = clock.nanoTime()) {
                Outcome outcome = sender.send(body(pool, next));
                tally.record(start, clock.nanoTime(), outcome);
              }
            });
      }
    }
  }

  private void openLoop(
      PublishSender sender, List<byte[]> pool, AtomicLong next, NanoClock clock, Tally tally) {
    double requestsPerSecond = rate / batch;
    OpenLoopPacer pacer =
        new OpenLoopPacer(clock, Sleeper.parking(), tally.window().startNanos(), requestsPerSecond);
    Semaphore inFlight = new Semaphore(maxInFlight);
    try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long intended = pacer.awaitNext();
          !tally.window().over(intended);
          intended = pacer.awaitNext()) {
        inFlight.acquireUninterruptibly();
        long start = intended;
        requests.execute(
            () -> {
              try {
                Outcome outcome = sender.send(body(pool, next));
                tally.record(start, clock.nanoTime(), outcome);
              } finally {
                inFlight.release();
              }
            });
      }
    }
  }

  private static byte[] body(List<byte[]> pool, AtomicLong next) {
    return pool.get((int) (next.getAndIncrement() % pool.size()));
  }

  private Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("mode", mode.name());
    p.put("batch", batch);
    p.put("eventBytes", eventBytes);
    if (mode == Mode.open) {
      p.put("rate", rate);
    } else {
      p.put("concurrency", concurrency);
    }
    p.put("durationSec", duration.toMillis() / 1000.0);
    p.put("warmupSec", warmup.toMillis() / 1000.0);
    return p;
  }

  private void check() {
    require(batch >= 1 && batch <= 1000, "--batch must be 1..1000, was " + batch);
    require(eventBytes >= 1, "--event-bytes must be positive, was " + eventBytes);
    require(concurrency >= 1, "--concurrency must be positive, was " + concurrency);
    require(rate > 0, "--rate must be positive, was " + rate);
    require(maxInFlight >= 1, "--max-in-flight must be positive, was " + maxInFlight);
    require(bodies >= 1, "--bodies must be positive, was " + bodies);
    require(!duration.isZero() && !duration.isNegative(), "--duration must be positive");
    require(!warmup.isNegative(), "--warmup must not be negative");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** {@code http://host:port} or a full URL; a URL without a path means {@code /v1/events}. */
  static URI endpoint(String url) {
    URI uri = URI.create(url);
    if (uri.getHost() == null || !"http".equals(uri.getScheme())) {
      throw new IllegalArgumentException("--url must be http://host:port, was " + url);
    }
    String path = uri.getPath();
    return path == null || path.isEmpty() || "/".equals(path) ? uri.resolve("/v1/events") : uri;
  }
}
