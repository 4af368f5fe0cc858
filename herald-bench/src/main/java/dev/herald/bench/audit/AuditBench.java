package dev.herald.bench.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.client.AuditPage;
import dev.herald.client.AuditQuery;
import dev.herald.client.HeraldClient;
import dev.herald.client.PublishEntry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The audit log's append rate and verify time, through a running Herald: publishes N events that a
 * rule sends to a new {@code audit} target, measures from the first publish until all N are in the
 * log (routing, delivery and the chained append, end to end), then times {@code GET
 * /v1/audit/verify} over the whole log (which holds N entries plus any from earlier runs).
 *
 * <pre>
 * java -cp herald-bench.jar dev.herald.bench.audit.AuditBench URL [N]
 * </pre>
 *
 * Keep N small on a shared machine (default 2,000).
 */
public final class AuditBench {
  private static final int BATCH = 100;

  private AuditBench() {}

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    String name = "bench-audit-" + System.currentTimeMillis();
    put(url, "/v1/targets/" + name, "{\"type\":\"audit\"}");
    put(
        url,
        "/v1/buses/default/rules/" + name,
        "{\"pattern\":{\"source\":[\""
            + name
            + "\"]},\"targets\":[{\"target\":\""
            + name
            + "\"}]}");
    Thread.sleep(500); // the rule reaches the router

    HeraldClient client = HeraldClient.create(url, Duration.ofMinutes(10));
    long start = System.nanoTime();
    for (int sent = 0; sent < events; sent += BATCH) {
      List<PublishEntry> batch = new ArrayList<>();
      for (int i = sent; i < Math.min(events, sent + BATCH); i++) {
        batch.add(PublishEntry.of(name, "Benchmarked", "{\"n\":" + i + "}"));
      }
      client.publish(batch);
    }
    long appended = awaitEntries(client, name, events, Duration.ofMinutes(5));
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "appended %d of %d entries in %.2f s: %.0f entries/s end to end%n",
        appended,
        events,
        seconds,
        appended / seconds);

    long verifyStart = System.nanoTime();
    JsonNode result = client.verifyAudit();
    double verifyMs = (System.nanoTime() - verifyStart) / 1e6;
    System.out.printf(
        Locale.ROOT,
        "verify: valid=%s over %d entries in %.0f ms (%.0f entries/s)%n",
        result.path("valid").asBoolean(),
        result.path("entries").asLong(),
        verifyMs,
        result.path("entries").asLong() / (verifyMs / 1000));
  }

  /** Follows the log of {@code source} until it holds {@code count} entries or time runs out. */
  private static long awaitEntries(HeraldClient client, String source, int count, Duration limit)
      throws InterruptedException {
    AuditQuery query =
        new AuditQuery(Optional.empty(), Optional.empty(), Optional.of(source), Optional.empty());
    long seen = 0;
    Optional<String> cursor = Optional.empty();
    long deadline = System.nanoTime() + limit.toNanos();
    while (seen < count && System.nanoTime() < deadline) {
      AuditPage page = client.audit(query, 1000, cursor);
      seen += page.entries().size();
      if (!page.entries().isEmpty()) {
        long last = page.entries().getLast().path("seq").asLong();
        cursor = Optional.of(dev.herald.core.config.Page.cursorAfter(Long.toString(last)));
      }
      if (page.next().isEmpty()) {
        Thread.sleep(20);
      }
    }
    return seen;
  }

  private static void put(URI base, String path, String json) throws Exception {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(base.resolve(path))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException(
          "PUT " + path + ": " + answer.statusCode() + " " + answer.body());
    }
  }
}
