package dev.herald.bench.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * A replay of an archive into one webhook target while live traffic flows, against live traffic
 * without a replay, on one running Herald: publishes {@code archive} events to the default bus
 * before any rule routes them (the archive), then adds one rule to one webhook target (the bench's
 * {@link Receiver}) and sends live events at {@code rate} events/s (batches of 10) for {@code
 * seconds}, first without a replay, then with a replay of the archive running; reports the live
 * ingestion-to-receiver p50/p99 of each and the replay's rate (events replayed per second while
 * live traffic flowed). Replayed deliveries are told apart by their {@code herald-replay-name}
 * header and not measured.
 *
 * <pre>java -cp herald-bench.jar dev.herald.bench.route.ReplayBench URL [archive] [rate] [seconds]
 * </pre>
 */
public final class ReplayBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH = 10;

  private ReplayBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    long archive = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
    try (Receiver receiver = Receiver.start(503, Duration.ZERO)) {
      Instant from = Instant.now();
      Thread.sleep(5);
      long start = System.nanoTime();
      RouteBench.Publisher.publish(url, archive, 500, 4);
      double archiveSeconds = (System.nanoTime() - start) / 1e9;
      Thread.sleep(5);
      Instant to = Instant.now();
      System.out.printf(
          Locale.ROOT,
          "archive: %d events published in %.1f s (%.0f events/s), no rule yet%n",
          archive,
          archiveSeconds,
          archive / archiveSeconds);
      RouteBench.put(
          url + "/v1/targets/replay-bench",
          "{\"type\":\"webhook\",\"webhook\":{\"url\":\""
              + receiver.url("/hook")
              + "\"},\"concurrency\":{\"max\":64},\"timeoutMs\":10000}");
      RouteBench.put(
          url + "/v1/buses/default/rules/replay-bench",
          "{\"pattern\":{\"source\":[\""
              + RouteBench.SOURCE
              + "\"]},\"targets\":[{\"target\":\"replay-bench\"}]}");
      long before = receiver.received();
      String live = RouteBench.Publisher.batch(BATCH);
      for (int i = 0; i < 600 && receiver.received() == before; i++) { // the rule is live
        RouteBench.Publisher.post(url, live);
        Thread.sleep(100);
      }
      Histogram without = liveFor(url, live, rate, seconds, receiver);
      report("live, no replay", without);

      String name = "bench-" + System.currentTimeMillis();
      post(
          url + "/v1/buses/default/replays",
          "{\"name\":\"" + name + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}");
      String status = url + "/v1/buses/default/replays/" + name;
      long replayedBefore = replayed(status);
      long receivedBefore = receiver.replayed();
      long t0 = System.nanoTime();
      Histogram with = liveFor(url, live, rate, seconds, receiver);
      double during = (System.nanoTime() - t0) / 1e9;
      long routed = replayed(status) - replayedBefore;
      long delivered = receiver.replayed() - receivedBefore;
      report("live, replay running", with);
      JsonNode replay = JSON.readTree(RouteBench.get(status));
      System.out.printf(
          Locale.ROOT,
          "replay %s: %d events routed (%.0f events/s) and %d replayed deliveries received"
              + " (%.0f/s) in the %.1f s of live traffic; now %s, %d of %d%n",
          name,
          routed,
          routed / during,
          delivered,
          delivered / during,
          during,
          replay.path("state").asText(),
          replay.path("eventsReplayed").asLong(),
          replay.path("eventsTotal").asLong());
      System.out.printf(
          Locale.ROOT,
          "== live p99 without a replay %d ms, with %d ms (ratio %.2f; goal <= 1.20)%n",
          without.getValueAtPercentile(99),
          with.getValueAtPercentile(99),
          with.getValueAtPercentile(99) / (double) Math.max(1, without.getValueAtPercentile(99)));
      HttpRequest cancel = HttpRequest.newBuilder(URI.create(status)).DELETE().build();
      RouteBench.HTTP.send(cancel, HttpResponse.BodyHandlers.discarding());
    }
  }

  /** Sends live batches at {@code rate} events/s for {@code seconds}; the live latencies. */
  private static Histogram liveFor(
      String url, String batch, int rate, int seconds, Receiver receiver) throws Exception {
    long intervalNanos = 1_000_000_000L * BATCH / rate;
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    receiver.measure();
    for (long next = start; next < end; next += intervalNanos) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(Duration.ofNanos(wait));
      }
      RouteBench.Publisher.post(url, batch);
    }
    Thread.sleep(2000); // the last live events arrive
    return receiver.stopMeasuring();
  }

  private static void report(String label, Histogram h) {
    System.out.printf(
        Locale.ROOT,
        "%-22s %7d live deliveries measured: p50 %d ms, p99 %d ms, max %d ms%n",
        label,
        h.getTotalCount(),
        h.getValueAtPercentile(50),
        h.getValueAtPercentile(99),
        h.getMaxValue());
  }

  private static long replayed(String status) throws Exception {
    return JSON.readTree(RouteBench.get(status)).path("eventsReplayed").asLong();
  }

  private static void post(String url, String json) throws Exception {
    HttpResponse<String> answer =
        RouteBench.HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 201) {
      throw new IllegalStateException(
          "POST " + url + " answered " + answer.statusCode() + ": " + answer.body());
    }
  }
}
