package dev.herald.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.Page;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.json.Json;
import dev.herald.engine.inspect.DeliveryBacklog;
import dev.herald.store.ConfigStore;
import dev.herald.store.DeadLetterStore;
import dev.herald.store.Stored;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET /v1/stats[?target=]}: what the console shows of each target, read from what the server
 * has: its configuration, its live state on this instance (circuit, in flight, concurrency limit),
 * the Micrometer registry (attempts by result; an attempt-latency histogram when one is
 * registered), the delivery group's lag ({@link DeliveryBacklog}) and the dead-letter count of the
 * store. Rates and the p99 are over the window since the previous request (at least a second; the
 * console asks every few seconds), totals since start.
 *
 * <p>Thread-safe: the previous sample per target is replaced under the object's lock.
 */
public final class StatsApi {
  private static final Duration MIN_WINDOW = Duration.ofSeconds(1);
  private static final String ATTEMPTS = "herald.delivery.attempts";
  private static final String ACCEPTED = "herald.ingest.entries.accepted";

  private final ConfigStore config;
  private final DeadLetterStore deadLetters;
  private final Function<String, Optional<ObjectNode>> liveState;
  private final DeliveryBacklog backlog;
  private final MeterRegistry metrics;
  private final InstantSource clock;
  private final Map<String, Sample> previous = new HashMap<>();
  private final Map<String, Window> lastWindow = new HashMap<>();

  /** Counts at one instant: attempts, delivered, and the latency histogram's buckets. */
  private record Sample(
      Instant at, double attempts, double delivered, long timed, CountAtBucket[] buckets) {}

  /** What the console shows as live: per second over the last window, and its p99. */
  private record Window(double rate, double deliveredRate, Optional<Double> p99Ms) {}

  public StatsApi(
      ConfigStore config,
      DeadLetterStore deadLetters,
      Function<String, Optional<ObjectNode>> liveState,
      DeliveryBacklog backlog,
      MeterRegistry metrics,
      InstantSource clock) {
    this.config = config;
    this.deadLetters = deadLetters;
    this.liveState = liveState;
    this.backlog = backlog;
    this.metrics = metrics;
    this.clock = clock;
  }

  public void register(HttpRouting.Builder routing) {
    routing.get("/v1/stats", this::stats);
  }

  private void stats(ServerRequest req, ServerResponse res) {
    Optional<String> only = req.query().first("target").asOptional();
    List<Stored<TargetSpec>> targets = new ArrayList<>();
    if (only.isPresent()) {
      targets.add(
          config
              .target(only.get())
              .orElseThrow(
                  () ->
                      new ApiError(
                          404, "TargetNotFound", "target '" + only.get() + "' does not exist")));
    } else {
      Optional<String> after = Optional.empty();
      do {
        Page<Stored<TargetSpec>> page = config.listTargets(Page.MAX_LIMIT, after);
        targets.addAll(page.items());
        after = page.next().map(Page::nameAfter);
      } while (after.isPresent());
    }
    Instant now = clock.instant();
    Map<String, Long> backlogs =
        backlog.backlog(targets.stream().map(t -> t.spec().name()).toList());
    ObjectNode body = Json.object();
    body.put("at", now.toString());
    ObjectNode ingest = body.putObject("ingest");
    double accepted = sum(ACCEPTED);
    ingest.put("accepted", (long) accepted);
    ingest.put("rate", round(window("", now, accepted, accepted, Optional.empty()).rate()));
    ArrayNode list = body.putArray("targets");
    for (Stored<TargetSpec> target : targets) {
      list.add(target(target.spec(), now, backlogs));
    }
    Http.send(res, 200, body);
  }

  private ObjectNode target(TargetSpec spec, Instant now, Map<String, Long> backlogs) {
    String name = spec.name();
    ObjectNode node = Json.object();
    node.put("name", name);
    node.put("type", spec.type());
    ObjectNode state = liveState.apply(name).orElseGet(Json::object);
    node.put("enabled", state.path("enabled").asBoolean(spec.enabled()));
    node.put("circuit", state.path("circuit").asText("unknown"));
    node.put("inFlight", state.path("inFlight").asInt(0));
    node.put("concurrencyLimit", state.path("concurrencyLimit").asInt(0));
    ObjectNode attempts = node.putObject("attempts");
    double total = 0;
    for (String result : List.of("Delivered", "SkippedDuplicate", "Retrying", "DeadLettered")) {
      double count = attemptCount(name, result);
      attempts.put(result, (long) count);
      total += count;
    }
    Window window = window(name, now, total, attemptCount(name, "Delivered"), latency(name));
    node.put("rate", round(window.rate()));
    node.put("deliveredRate", round(window.deliveredRate()));
    window.p99Ms().ifPresentOrElse(p -> node.put("p99Ms", round(p)), () -> node.putNull("p99Ms"));
    Long waiting = backlogs.get(name);
    if (waiting == null) {
      node.putNull("backlog");
    } else {
      node.put("backlog", waiting);
    }
    node.put("deadLetters", deadLetters.countDeadLetters(name));
    return node;
  }

  private double attemptCount(String target, String result) {
    Counter counter = metrics.find(ATTEMPTS).tag("target", target).tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  private double sum(String name) {
    return metrics.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  /**
   * The attempt-latency histogram of a target, when the delivery engine registers one: a timer
   * tagged with the target whose name speaks of attempts and latency.
   */
  private Optional<Timer> latency(String target) {
    for (Meter meter : metrics.getMeters()) {
      String name = meter.getId().getName();
      if (meter instanceof Timer timer
          && target.equals(meter.getId().getTag("target"))
          && name.contains("attempt")
          && (name.contains("latency") || name.contains("duration"))) {
        return Optional.of(timer);
      }
    }
    return Optional.empty();
  }

  private synchronized Window window(
      String key, Instant now, double total, double delivered, Optional<Timer> timer) {
    HistogramSnapshot snapshot = timer.map(Timer::takeSnapshot).orElse(null);
    CountAtBucket[] buckets = snapshot == null ? new CountAtBucket[0] : snapshot.histogramCounts();
    long timed = snapshot == null ? 0 : snapshot.count();
    Sample sample = new Sample(now, total, delivered, timed, buckets);
    Sample before = previous.get(key);
    if (before == null) {
      previous.put(key, sample);
      Window first = new Window(0, 0, Optional.empty());
      lastWindow.put(key, first);
      return first;
    }
    Duration elapsed = Duration.between(before.at(), now);
    if (elapsed.compareTo(MIN_WINDOW) < 0) {
      return lastWindow.get(key);
    }
    double seconds = elapsed.toNanos() / 1e9;
    Window window =
        new Window(
            (total - before.attempts()) / seconds,
            (delivered - before.delivered()) / seconds,
            p99(before.buckets(), buckets, timed - before.timed()));
    previous.put(key, sample);
    lastWindow.put(key, window);
    return window;
  }

  /**
   * The p99 of the attempts timed between two snapshots of a histogram (cumulative bucket counts):
   * the bound of the first bucket holding 99% of them; empty when none timed, or when the p99 is
   * past the last bucket.
   */
  static Optional<Double> p99(CountAtBucket[] before, CountAtBucket[] now, long count) {
    if (now.length == 0 || before.length != now.length || count <= 0) {
      return Optional.empty();
    }
    for (int i = 0; i < now.length; i++) {
      if (now[i].count() - before[i].count() >= 0.99 * count) {
        return Optional.of(now[i].bucket(java.util.concurrent.TimeUnit.MILLISECONDS));
      }
    }
    return Optional.empty();
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
