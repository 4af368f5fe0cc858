package dev.herald.bench.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Queue benchmark against a running Herald: a {@code queue} target ({@code bench-queue}) and a rule
 * sending every event of source {@code bench.queue} to it; EVENTS events are published, then
 * CONSUMERS concurrent HTTP consumers receive (up to MAX per call, long poll of 1 s) and ack them
 * all.
 *
 * <pre>
 * java -cp herald-bench.jar dev.herald.bench.queue.QueueBench URL [EVENTS] [CONSUMERS] [MAX]
 * </pre>
 *
 * <p>Reports the enqueue rate (publish to all messages visible), the receive + ack rate, the
 * latency of receive and of ack calls (p50/p99), and duplicates (a message received twice within
 * its 120 s visibility would be one: there must be none). Every phase is bounded (2 and 5 minutes).
 * Defaults are small (10,000 events, 8 consumers, 10 per receive): the machine may be shared.
 */
public final class QueueBench {
  static final String SOURCE = "bench.queue";
  static final String QUEUE = "bench-queue";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private QueueBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int consumers = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int max = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    declare(url);
    long visibleBefore = depth(url).get("visible").asLong();
    long start = System.nanoTime();
    publish(url, events);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (depth(url).get("visible").asLong() < visibleBefore + events
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    double enqueueSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "enqueued %d events (publish to visible) in %.1f s: %.0f messages/s%n",
        events,
        enqueueSeconds,
        events / enqueueSeconds);
    consume(url, visibleBefore + events, consumers, max);
  }

  private static void declare(String url) throws Exception {
    send(
        "PUT",
        url + "/v1/targets/" + QUEUE,
        "{\"type\":\"queue\",\"queue\":{\"visibilitySeconds\":120},\"retry\":{\"maxAttempts\":10},"
            + "\"concurrency\":{\"max\":64}}");
    send(
        "PUT",
        url + "/v1/buses/default/rules/" + QUEUE,
        "{\"pattern\":{\"source\":[\""
            + SOURCE
            + "\"]},\"targets\":[{\"target\":\""
            + QUEUE
            + "\"}]}");
  }

  private static void publish(String url, int events) throws Exception {
    StringBuilder batch = new StringBuilder("{\"entries\":[");
    for (int i = 0; i < 100; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"source\":\"" + SOURCE + "\",\"detailType\":\"Job\",\"detail\":{\"n\":")
          .append(i)
          .append(",\"pad\":\"" + "x".repeat(200) + "\"}}");
    }
    String body = batch.append("]}").toString();
    AtomicLong remaining = new AtomicLong((events + 99) / 100);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (remaining.getAndDecrement() > 0) {
                      send("POST", url + "/v1/events", body);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private static void consume(String url, long expected, int consumers, int max) throws Exception {
    Histogram receiveMs = new ConcurrentHistogram(60_000, 3);
    Histogram ackMs = new ConcurrentHistogram(60_000, 3);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicLong received = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + Duration.ofMinutes(5).toNanos();
    String receive = "{\"max\":" + max + ",\"waitSeconds\":1}";
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < consumers; c++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (acked.get() < expected && System.nanoTime() < deadline) {
                      long t0 = System.nanoTime();
                      JsonNode messages =
                          send("POST", url + "/v1/queues/" + QUEUE + "/receive", receive)
                              .get("messages");
                      receiveMs.recordValue(millisSince(t0));
                      List<String> handles = new ArrayList<>();
                      for (JsonNode m : messages) {
                        received.incrementAndGet();
                        seen.add(m.get("messageId").asText());
                        handles.add(JSON.valueToTree(m.get("receiptHandle").asText()).toString());
                      }
                      if (!handles.isEmpty()) {
                        long t1 = System.nanoTime();
                        JsonNode answer =
                            send(
                                "POST",
                                url + "/v1/queues/" + QUEUE + "/ack",
                                "{\"receiptHandles\":[" + String.join(",", handles) + "]}");
                        ackMs.recordValue(millisSince(t1));
                        acked.addAndGet(answer.get("acked").asLong());
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "%d consumers (max %d per receive): received %d, acked %d of %d in %.1f s: %.0f"
            + " messages/s; duplicates %d; receive p50 %d ms p99 %d ms; ack p50 %d ms p99 %d ms%n",
        threads.size(),
        max,
        received.get(),
        acked.get(),
        expected,
        seconds,
        acked.get() / seconds,
        received.get() - seen.size(),
        receiveMs.getValueAtPercentile(50),
        receiveMs.getValueAtPercentile(99),
        ackMs.getValueAtPercentile(50),
        ackMs.getValueAtPercentile(99));
  }

  private static long millisSince(long start) {
    return Math.min(60_000, (System.nanoTime() - start) / 1_000_000);
  }

  private static JsonNode depth(String url) throws Exception {
    return send("GET", url + "/v1/queues/" + QUEUE, null);
  }

  private static JsonNode send(String method, String url, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (body == null) {
      request.GET();
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    try {
      HttpResponse<byte[]> answer =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(
            method
                + " "
                + url
                + " answered "
                + answer.statusCode()
                + ": "
                + new String(answer.body(), StandardCharsets.UTF_8));
      }
      return JSON.readTree(answer.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
