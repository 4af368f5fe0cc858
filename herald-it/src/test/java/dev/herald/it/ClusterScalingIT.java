package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.herald.core.testing.TestPostgres;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scaling benchmark of cluster mode (docs/benchmarks.md, "Cluster mode"): on three KRaft
 * brokers and PostgreSQL, one webhook target whose receiver takes 20 ms per call, measured with 1,
 * 2 and 3 Herald instances: ingest throughput and the p99 of a publish request, end-to-end
 * throughput and the p99 from publish to the receiver, and the CPU the instances and the brokers
 * used per delivered event. It asserts only that every acknowledged event was delivered; the
 * numbers are printed ({@code cluster-bench:} lines). Runs with {@code -Dherald.cluster=bench}.
 */
@EnabledIfSystemProperty(named = "herald.cluster", matches = "bench")
class ClusterScalingIT {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterScalingIT.class);
  private static final Duration CALL = Duration.ofMillis(20);
  private static final int EVENTS = Integer.getInteger("herald.bench.events", 4_000);
  private static final int PUBLISHERS = Integer.getInteger("herald.bench.publishers", 4);
  private static final int PER_REQUEST = 10;

  @TempDir Path dir;

  @Test
  void throughputAndLatencyWithOneTwoAndThreeInstances() throws Exception {
    try (TestPostgres.Schema schema = TestPostgres.get().createSchema();
        SlowReceiver receiver = new SlowReceiver();
        HeraldCluster cluster = HeraldCluster.start(dir, 3, 1, schema.jdbcUrl())) {
      HeraldProcess first = cluster.instances.get(0);
      assertThat(first.delete("/v1/buses/default/rules/all").statusCode()).isEqualTo(204);
      assertThat(
              first
                  .put(
                      "/v1/targets/slow",
                      "{\"type\": \"webhook\", \"webhook\": {\"url\": \"%s\"}}"
                          .formatted(receiver.url()))
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              first
                  .put(
                      "/v1/buses/default/rules/bench",
                      "{\"pattern\": {\"source\": [{\"prefix\": \"cluster.bench\"}]},"
                          + " \"targets\": [{\"target\": \"slow\"}]}")
                  .statusCode())
          .isEqualTo(200);
      List<String> lines = new ArrayList<>();
      for (int size = 1; size <= 3; size++) {
        if (size > 1) {
          cluster.addInstance();
          Thread.sleep(15_000); // the cooperative rebalance spreads the partitions first
        }
        run(cluster, receiver, "bench-warm-" + size, 1_000); // JIT, connections, partitions
        lines.add(run(cluster, receiver, "bench-" + size, EVENTS));
      }
      lines.forEach(System.out::println);
    }
  }

  /** Publishes {@code events} events and waits until the receiver has them all; one line. */
  private static String run(HeraldCluster cluster, SlowReceiver receiver, String name, int events)
      throws Exception {
    int requests = events / PER_REQUEST;
    AtomicInteger next = new AtomicInteger();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    AtomicInteger refused = new AtomicInteger();
    Duration heraldCpu = cluster.instancesCpu();
    Duration brokerCpu = brokersCpu(cluster);
    long start = System.nanoTime();
    List<Thread> publishers = new ArrayList<>();
    for (int p = 0; p < PUBLISHERS; p++) {
      publishers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int n = next.getAndIncrement(); n < requests; n = next.getAndIncrement()) {
                      HeraldProcess herald = cluster.instances.get(n % cluster.instances.size());
                      long sent = System.nanoTime();
                      HttpResponse<String> answer =
                          herald.post("/v1/events", HeraldCluster.batch(name, n));
                      latencies.add(System.nanoTime() - sent);
                      if (answer.statusCode() != 200) {
                        refused.incrementAndGet();
                        continue;
                      }
                      for (JsonNode entry : HeraldProcess.json(answer).path("entries")) {
                        if (entry.has("eventId")) {
                          sentAt.put(entry.get("eventId").asText(), sent);
                        }
                      }
                    }
                  }));
    }
    for (Thread publisher : publishers) {
      publisher.join();
    }
    long ingested = System.nanoTime();
    long deadline = ingested + Duration.ofMinutes(5).toNanos();
    while (!receiver.arrivals.keySet().containsAll(sentAt.keySet())
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(receiver.arrivals.keySet()).as(name).containsAll(sentAt.keySet());
    long lastArrival =
        sentAt.keySet().stream().mapToLong(receiver.arrivals::get).max().orElse(ingested);
    double heraldCpuMs = (cluster.instancesCpu().minus(heraldCpu)).toNanos() / 1e6;
    double brokerCpuMs = (brokersCpu(cluster).minus(brokerCpu)).toNanos() / 1e6;
    List<Long> endToEnd =
        sentAt.entrySet().stream()
            .map(e -> receiver.arrivals.get(e.getKey()) - e.getValue())
            .toList();
    int delivered = sentAt.size();
    String line =
        ("cluster-bench: %d instance(s), %s: %d events acknowledged (%d requests refused), ingest"
                + " %.0f events/s, publish p99 %.0f ms; end to end %.0f events/s, p99 %.0f ms;"
                + " CPU per delivered event: Herald %.2f ms, brokers %.2f ms; receiver at most %d"
                + " calls in flight")
            .formatted(
                cluster.instances.size(),
                name,
                delivered,
                refused.get(),
                delivered / ((ingested - start) / 1e9),
                p99(new ArrayList<>(latencies)) / 1e6,
                delivered / ((lastArrival - start) / 1e9),
                p99(new ArrayList<>(endToEnd)) / 1e6,
                heraldCpuMs / delivered,
                brokerCpuMs / delivered,
                receiver.maxInFlight.getAndSet(0));
    LOG.info(line);
    System.out.println(line);
    return line;
  }

  private static Duration brokersCpu(HeraldCluster cluster) {
    return cluster.kafka.brokers().stream()
        .map(KafkaCluster.Broker::cpu)
        .reduce(Duration.ZERO, Duration::plus);
  }

  private static long p99(List<Long> values) {
    if (values.isEmpty()) {
      return 0;
    }
    values.sort(null);
    return values.get((int) Math.min(values.size() - 1, Math.ceil(values.size() * 0.99) - 1));
  }

  /** A receiver that takes {@link #CALL} per call and notes when each event first arrived. */
  private static final class SlowReceiver implements AutoCloseable {
    final HttpServer server;
    final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    SlowReceiver() throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext(
          "/",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            arrivals.putIfAbsent(
                exchange.getRequestHeaders().getFirst("herald-event-id"), System.nanoTime());
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
              Thread.sleep(CALL);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              inFlight.decrementAndGet();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/slow";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
