package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGKILL of Herald while it delivers 10,000 events to 2 webhook targets, then a restart: every
 * event reaches both receivers; duplicates (in flight at the crash) are counted and reported.
 */
class DeliveryCrashIT {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryCrashIT.class);
  private static final int EVENTS = 10_000;

  @TempDir Path tmp;

  /** A receiver counting calls and distinct event ids. */
  static final class Receiver implements AutoCloseable {
    final HttpServer server;
    final Set<String> events = ConcurrentHashMap.newKeySet();
    final AtomicLong calls = new AtomicLong();

    Receiver() throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext(
          "/",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            calls.incrementAndGet();
            events.add(exchange.getRequestHeaders().getFirst("herald-event-id"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void everyEventReachesBothTargetsAcrossAKillNine() throws Exception {
    Path dataDir = Files.createDirectories(tmp.resolve("data"));
    try (Receiver a = new Receiver();
        Receiver b = new Receiver();
        HeraldProcess herald = HeraldProcess.start(dataDir)) {
      herald.awaitReady(Duration.ofSeconds(60));
      for (var target : List.of(List.of("a", a.url()), List.of("b", b.url()))) {
        put(
            herald,
            "/v1/targets/" + target.get(0),
            "{\"type\":\"webhook\",\"webhook\":{\"url\":\""
                + target.get(1)
                + "\"},"
                + "\"retry\":{\"maxAttempts\":50,\"maxEventAgeSeconds\":3600,"
                + "\"backoff\":{\"initialMs\":100,\"maxMs\":1000}}}");
      }
      put(
          herald,
          "/v1/buses/default/rules/both",
          "{\"pattern\":{\"source\":[\"crash.delivery\"]},"
              + "\"targets\":[{\"target\":\"a\"},{\"target\":\"b\"}]}");

      Set<String> published = new HashSet<>();
      String batch = batch();
      for (int i = 0; i < EVENTS / 100; i++) {
        HttpResponse<String> answer = herald.post("/v1/events", batch);
        HeraldProcess.json(answer)
            .get("entries")
            .forEach(e -> published.add(e.get("eventId").asText()));
      }
      assertThat(published).hasSize(EVENTS);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (a.events.size() < EVENTS / 5 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      herald.kill9();
      long beforeA = a.events.size();
      long beforeB = b.events.size();

      herald.restart();
      herald.awaitReady(Duration.ofSeconds(60));
      deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while ((!a.events.containsAll(published) || !b.events.containsAll(published))
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(a.events).containsAll(published);
      assertThat(b.events).containsAll(published);
      String metrics = herald.get("/metrics").body();
      LOG.info(
          "delivered {} events to 2 targets across a SIGKILL (a had {} and b {} before it);"
              + " duplicates a receiver saw: a {}, b {}; skipped as already journaled: {}",
          EVENTS,
          beforeA,
          beforeB,
          a.calls.get() - a.events.size(),
          b.calls.get() - b.events.size(),
          metrics.lines().filter(l -> l.contains("SkippedDuplicate")).toList());
    }
  }

  private static String batch() {
    StringBuilder body = new StringBuilder("{\"entries\":[");
    for (int i = 0; i < 100; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"source\":\"crash.delivery\",\"detailType\":\"T\",\"detail\":{\"i\":")
          .append(i)
          .append("}}");
    }
    return body.append("]}").toString();
  }

  private static void put(HeraldProcess herald, String path, String json) {
    HttpResponse<String> answer = herald.put(path, json);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }
}
