package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many webhook targets on one Herald: every one gets its delivery, and the platform threads the
 * delivery engine runs on do not grow with the number of targets (a shared pool of consumers,
 * attempts on virtual threads). Fewer than 100 threads added for the targets, so a thread per
 * target fails either size.
 *
 * <p>The normal build runs 200 targets; {@code -Dherald.targets=full} runs 1,000 (README, "Cluster
 * mode" lists the command).
 */
class ThousandTargetsIT {
  private static final Logger LOG = LoggerFactory.getLogger(ThousandTargetsIT.class);
  private static final int TARGETS = targets(System.getProperty("herald.targets", "short"));
  private static final int PER_RULE = 5; // EventBridge's limit of targets per rule

  @TempDir Path tmp;

  @Test
  void everyTargetGetsItsEventOnABoundedNumberOfThreads() throws Exception {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          calls
              .computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicInteger())
              .incrementAndGet();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    String base = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/t/";
    Path dataDir = Files.createDirectories(tmp.resolve("data"));
    try (HeraldProcess herald = HeraldProcess.start(dataDir, "--bus-partitions", "1")) {
      herald.awaitReady(Duration.ofSeconds(60));
      double threadsBefore = liveThreads(herald);
      long start = System.nanoTime();
      try (var creators = Executors.newFixedThreadPool(8)) { // topic creation is the slow part
        List<Future<?>> created = new ArrayList<>();
        for (int t = 0; t < TARGETS; t++) {
          int n = t;
          created.add(creators.submit(() -> put(herald, "/v1/targets/t" + n, webhook(base + n))));
        }
        for (Future<?> f : created) {
          f.get(); // rethrows a failed PUT
        }
      }
      for (int r = 0; r < TARGETS / PER_RULE; r++) {
        put(herald, "/v1/buses/default/rules/group-" + r, rule(r));
      }
      LOG.info(
          "created {} targets and {} rules in {} ms",
          TARGETS,
          TARGETS / PER_RULE,
          (System.nanoTime() - start) / 1_000_000);
      for (int r = 0; r < TARGETS / PER_RULE; r++) {
        HttpResponse<String> published =
            herald.post(
                "/v1/events",
                "{\"entries\":[{\"source\":\"thousand\",\"detailType\":\"group-"
                    + r
                    + "\",\"detail\":{}}]}");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (calls.size() < TARGETS && System.nanoTime() < deadline) {
        Thread.sleep(250);
      }
      double threadsAfter = liveThreads(herald);
      LOG.info(
          "{} of {} targets reached; live threads {} -> {}",
          calls.size(),
          TARGETS,
          threadsBefore,
          threadsAfter);
      assertThat(calls).hasSize(TARGETS);
      assertThat(calls.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
      assertThat(threadsAfter - threadsBefore)
          .as("platform threads added for %d targets", TARGETS)
          .isLessThan(100);
    } finally {
      receiver.stop(0);
    }
  }

  private static int targets(String size) {
    return switch (size) {
      case "short" -> 200;
      case "full" -> 1_000;
      default ->
          throw new IllegalArgumentException(
              "herald.targets must be short (200 targets) or full (1,000), not '" + size + "'");
    };
  }

  private static String webhook(String url) {
    return "{\"type\":\"webhook\",\"webhook\":{\"url\":\"" + url + "\"}}";
  }

  private static String rule(int r) {
    StringBuilder targets = new StringBuilder();
    for (int i = 0; i < PER_RULE; i++) {
      targets.append(i == 0 ? "" : ",").append("{\"target\":\"t").append(r * PER_RULE + i);
      targets.append("\"}");
    }
    return "{\"pattern\":{\"source\":[\"thousand\"],\"detail-type\":[\"group-"
        + r
        + "\"]},\"targets\":["
        + targets
        + "]}";
  }

  private static void put(HeraldProcess herald, String path, String json) {
    HttpResponse<String> answer = herald.put(path, json);
    assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
  }

  private static double liveThreads(HeraldProcess herald) {
    return herald
        .get("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith("jvm_threads_live_threads "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }
}
