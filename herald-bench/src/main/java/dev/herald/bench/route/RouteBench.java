package dev.herald.bench.route;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end routing benchmark against a running Herald: ingest → router → 3 target topics.
 *
 * <pre>
 * java -cp herald-bench.jar dev.herald.bench.route.RouteBench URL BOOTSTRAP [EVENTS] [LAT_SECONDS]
 * </pre>
 *
 * <ol>
 *   <li>throughput: declares 3 log targets and a rule sending source {@code bench.route} to all
 *       three, publishes EVENTS events as fast as 8 workers can (batches of 100 × ~300 B), then
 *       measures how fast the router drains its backlog (routed events/s, from Herald's metrics);
 *   <li>ceiling: a plain Kafka consume-and-produce loop on the same broker, reading the same bus
 *       topic and writing each record to 3 topics, over the same events;
 *   <li>latency: 5,000 events/s in batches of 10 for LAT_SECONDS; a consumer of one target topic
 *       records (consume time − ingestion time) per event: p50/p99 from ingest to target topic.
 * </ol>
 *
 * Bounded in events and time; loopback only.
 */
public final class RouteBench {
  static final String SOURCE = "bench.route";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private RouteBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String bootstrap = args[1];
    long events = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000;
    int latencySeconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    declare(url);
    System.out.println("== routing throughput (" + events + " events, 3 targets)");
    Throughput herald = throughput(url, events);
    System.out.println("== raw consume-and-produce loop on the same broker");
    double raw = RawRouteLoop.run(bootstrap, herald.busRecords(), Duration.ofMinutes(5));
    System.out.printf(
        Locale.ROOT,
        "herald routed %.0f events/s while draining (%.0f events/s overall incl. ingest);"
            + " raw loop %.0f events/s; ratio %.2f%n",
        herald.drainRate(),
        herald.overallRate(),
        raw,
        herald.drainRate() / raw);
    System.out.println("== latency: 5000 events/s in batches of 10, ingest -> target topic");
    TargetLatency.run(url, bootstrap, latencySeconds);
  }

  /** Three log targets and one rule sending every bench event to all three. */
  static void declare(String url) throws Exception {
    for (int i = 1; i <= 3; i++) {
      // disabled: the router writes their topics, the delivery engine leaves them alone
      put(url + "/v1/targets/bench-t" + i, "{\"type\":\"log\",\"enabled\":false}");
    }
    put(
        url + "/v1/buses/default/rules/bench-route",
        "{\"pattern\":{\"source\":[\""
            + SOURCE
            + "\"]},\"targets\":[{\"target\":\"bench-t1\"},"
            + "{\"target\":\"bench-t2\"},{\"target\":\"bench-t3\"}]}");
  }

  record Throughput(double drainRate, double overallRate, long busRecords) {}

  static Throughput throughput(String url, long events) throws Exception {
    double before = routed(url);
    long start = System.nanoTime();
    Publisher.publish(url, events, 100, 8);
    long ingested = System.nanoTime();
    double atIngestEnd = routed(url);
    double target = before + events;
    double now = atIngestEnd;
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (now < target && System.nanoTime() < deadline) {
      Thread.sleep(100);
      now = routed(url);
    }
    long end = System.nanoTime();
    double drainSeconds = (end - ingested) / 1e9;
    double drainRate = drainSeconds > 0.05 ? (now - atIngestEnd) / drainSeconds : Double.NaN;
    double overall = (now - before) / ((end - start) / 1e9);
    System.out.printf(
        Locale.ROOT,
        "ingested %d events in %.1f s (%.0f/s); routed %.0f during ingest, drained the rest in %.1f s%n",
        events,
        (ingested - start) / 1e9,
        events / ((ingested - start) / 1e9),
        atIngestEnd - before,
        drainSeconds);
    return new Throughput(drainRate, overall, (long) now);
  }

  private static final Pattern ROUTED =
      Pattern.compile(
          "(?m)^herald_router_events_total\\{bus=\"default\",result=\"routed\"} ([0-9.E+]+)$");

  /** Events routed so far on bus default, from Herald's metrics. */
  static double routed(String url) throws Exception {
    String metrics = get(url + "/metrics");
    Matcher m = ROUTED.matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  static void put(String url, String json) throws Exception {
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException(
          "PUT " + url + " answered " + answer.statusCode() + ": " + answer.body());
    }
  }

  static String get(String url) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Closed-loop publisher of bench events. */
  static final class Publisher {
    private Publisher() {}

    static void publish(String url, long events, int batch, int workers) throws Exception {
      String body = batch(batch);
      AtomicLong remaining = new AtomicLong(events / batch);
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      while (remaining.getAndDecrement() > 0) {
                        post(url, body);
                      }
                    }));
      }
      for (Thread t : threads) {
        t.join();
      }
    }

    static String batch(int size) {
      StringBuilder b = new StringBuilder("{\"entries\":[");
      String pad = "x".repeat(200);
      for (int i = 0; i < size; i++) {
        b.append(i == 0 ? "" : ",")
            .append(
                "{\"source\":\""
                    + SOURCE
                    + "\",\"detailType\":\"OrderPlaced\",\"detail\":{\"orderId\":\"o-")
            .append(i)
            .append("\",\"total\":")
            .append(i * 1.5)
            .append(",\"pad\":\"")
            .append(pad)
            .append("\"}}");
      }
      return b.append("]}").toString();
    }

    static void post(String url, String body) {
      try {
        HttpResponse<Void> answer =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url + "/v1/events"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() != 200) {
          throw new IllegalStateException("publish answered " + answer.statusCode());
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
