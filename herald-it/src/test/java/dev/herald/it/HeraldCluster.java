package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Herald as a cluster for tests: a {@link KafkaCluster} of brokers in their own JVMs, Herald
 * instances as child processes sharing one PostgreSQL store, a webhook target {@code hook} on a
 * receiver in the test that every event of the {@code default} bus reaches, and a load generator
 * that publishes to the instances as a load balancer would and reports what it saw.
 *
 * <p>Thread-safety: driven by one test thread; the load runs on a thread of its own and records
 * into thread-safe maps.
 */
final class HeraldCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeraldCluster.class);
  static final Duration READY = Duration.ofSeconds(120);
  private static final int PER_REQUEST = 10;

  final KafkaCluster kafka;
  final Receiver receiver;
  final List<HeraldProcess> instances = new ArrayList<>();
  private final Path dir;
  private final String storeUrl;
  private final String secretKey = randomKey();

  /** Counts the calls per event id and when the last one arrived. */
  static final class Receiver implements AutoCloseable {
    final HttpServer server;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final Map<String, Long> firstCallNanos = new ConcurrentHashMap<>();

    Receiver() throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext(
          "/",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            String event = exchange.getRequestHeaders().getFirst("herald-event-id");
            calls.computeIfAbsent(event, e -> new AtomicInteger()).incrementAndGet();
            firstCallNanos.putIfAbsent(event, System.nanoTime());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    long duplicates() {
      return calls.values().stream().mapToLong(c -> Math.max(0, c.get() - 1)).sum();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /**
   * What one load run saw: when each event was acknowledged, the requests sent, the answers that
   * were not 200 (0: no answer from any instance), and the requests an unreachable instance passed
   * to another, as a load balancer does.
   */
  record Load(
      Map<String, Long> acknowledged,
      AtomicInteger requests,
      Map<Integer, AtomicInteger> refused,
      AtomicInteger failovers) {
    Load() {
      this(
          new ConcurrentHashMap<>(),
          new AtomicInteger(),
          new ConcurrentHashMap<>(),
          new AtomicInteger());
    }

    Set<String> ids() {
      return acknowledged.keySet();
    }
  }

  private HeraldCluster(KafkaCluster kafka, Receiver receiver, Path dir, String storeUrl) {
    this.kafka = kafka;
    this.receiver = receiver;
    this.dir = dir;
    this.storeUrl = storeUrl;
  }

  /**
   * Starts {@code brokers} brokers and {@code size} Herald instances on the store at {@code
   * storeUrl}, and sets up the target and rule every test uses.
   */
  static HeraldCluster start(Path dir, int brokers, int size, String storeUrl) throws Exception {
    long started = System.nanoTime();
    HeraldCluster cluster =
        new HeraldCluster(
            KafkaCluster.start(dir.resolve("kafka"), brokers, READY),
            new Receiver(),
            dir,
            storeUrl);
    try {
      for (int i = 0; i < size; i++) {
        cluster.launchInstance();
      }
      for (HeraldProcess herald : cluster.instances) {
        awaitReady(herald);
      }
      cluster.routeEverythingToTheReceiver();
      LOG.info(
          "cluster of {} broker(s) and {} Herald instances ready in {} s",
          brokers,
          size,
          Duration.ofNanos(System.nanoTime() - started).toSeconds());
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  private HeraldProcess launchInstance() {
    HeraldProcess herald =
        HeraldProcess.start(
            dir.resolve("herald-" + instances.size()),
            Map.of(
                "HERALD_KAFKA_BOOTSTRAP", kafka.bootstrap(),
                "HERALD_STORE_URL", storeUrl,
                "HERALD_SECRET_KEY", secretKey));
    instances.add(herald);
    return herald;
  }

  /**
   * Starts one more Herald instance on the same brokers, store and key; waits until it is ready.
   */
  HeraldProcess addInstance() {
    HeraldProcess herald = launchInstance();
    awaitReady(herald);
    return herald;
  }

  /** The CPU time every running instance has used so far. */
  Duration instancesCpu() {
    return instances.stream()
        .filter(HeraldProcess::alive)
        .map(HeraldProcess::cpu)
        .reduce(Duration.ZERO, Duration::plus);
  }

  private void routeEverythingToTheReceiver() {
    HeraldProcess first = instances.get(0);
    assertThat(
            first
                .put(
                    "/v1/targets/hook",
                    "{\"type\": \"webhook\", \"webhook\": {\"url\": \"" + receiver.url() + "\"}}")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            first
                .put(
                    "/v1/buses/default/rules/all",
                    "{\"pattern\": {\"source\": [{\"prefix\": \"\"}]},"
                        + " \"targets\": [{\"target\": \"hook\"}]}")
                .statusCode())
        .isEqualTo(200);
  }

  /** Restarts the instances an earlier test killed. */
  void everyInstanceRuns() {
    for (HeraldProcess herald : instances) {
      if (!herald.alive()) {
        herald.restart();
        awaitReady(herald);
      }
    }
  }

  /**
   * Waits until {@code herald} is ready. An instance that exits while starting (on a busy machine
   * the brokers may not answer its first metadata request within its 10 s) is started again, up to
   * three times.
   */
  static void awaitReady(HeraldProcess herald) {
    for (int attempt = 1; ; attempt++) {
      try {
        herald.awaitReady(READY);
        return;
      } catch (IllegalStateException e) {
        if (herald.alive() || attempt == 3) {
          throw e;
        }
        LOG.warn("instance exited while starting (attempt {}), starting it again", attempt);
        herald.restart();
      }
    }
  }

  /** Every acknowledged event of {@code load} reached the receiver. */
  void assertAllDelivered(Load load) {
    assertThat(load.ids()).isNotEmpty();
    assertThat(receiver.calls.keySet()).containsAll(load.ids());
  }

  /**
   * Publishes batches of {@link #PER_REQUEST} events, about 200 events a second, to the instance
   * {@code pick} names for the n-th request, until interrupted; a request no instance answers is
   * passed to the next instance, as a load balancer would.
   */
  Thread startLoad(Load load, IntFunction<HeraldProcess> pick, String run) {
    return Thread.ofPlatform()
        .name("load-" + run)
        .start(
            () -> {
              for (int n = 0; !Thread.currentThread().isInterrupted(); n++) {
                publish(load, pick.apply(n), batch(run, n));
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }

  void publish(Load load, HeraldProcess first, String body) {
    load.requests().incrementAndGet();
    int start = instances.indexOf(first);
    for (int i = 0; i < instances.size(); i++) {
      HeraldProcess herald = instances.get((start + i) % instances.size());
      HttpResponse<String> answer;
      try {
        answer = herald.post("/v1/events", body);
      } catch (RuntimeException e) { // not listening: killed or restarting
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        load.failovers().incrementAndGet();
        continue;
      }
      if (answer.statusCode() == 200) {
        long now = System.nanoTime();
        for (JsonNode entry : HeraldProcess.json(answer).path("entries")) {
          if (entry.has("eventId")) {
            load.acknowledged().put(entry.get("eventId").asText(), now);
          }
        }
      } else {
        load.refused()
            .computeIfAbsent(answer.statusCode(), s -> new AtomicInteger())
            .incrementAndGet();
      }
      return;
    }
    load.refused().computeIfAbsent(0, s -> new AtomicInteger()).incrementAndGet();
  }

  static String batch(String run, int n) {
    StringBuilder body = new StringBuilder("{\"entries\": [");
    for (int i = 0; i < PER_REQUEST; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"source\": \"cluster.")
          .append(run)
          .append("\", \"detailType\": \"Tick\", \"detail\": {\"n\": ")
          .append(n * PER_REQUEST + i)
          .append("}}");
    }
    return body.append("]}").toString();
  }

  /**
   * Waits until every acknowledged event reached the receiver; returns the longest any event
   * acknowledged from {@code failedAt - 1 s} on waited between its acknowledgement and its first
   * arrival: how long the failure held deliveries up.
   */
  Duration awaitAllDelivered(Load load, long failedAt) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline && !receiver.calls.keySet().containsAll(load.ids())) {
      Thread.sleep(100);
    }
    long from = failedAt - Duration.ofSeconds(1).toNanos();
    long worst =
        load.acknowledged().entrySet().stream()
            .filter(e -> e.getValue() >= from)
            .mapToLong(
                e -> receiver.firstCallNanos.getOrDefault(e.getKey(), e.getValue()) - e.getValue())
            .max()
            .orElse(0);
    return Duration.ofNanos(Math.max(0, worst));
  }

  void report(String failure, Load load, Duration recovery) {
    long missing = load.ids().stream().filter(id -> !receiver.calls.containsKey(id)).count();
    String line =
        ("cluster: %s: %d requests, %d events acknowledged, %d delivered, %d missing, %d"
                + " duplicates seen by the receiver (whole run), refused %s, %d failovers to another"
                + " instance; the longest an event acknowledged around the failure waited for"
                + " delivery: %.1f s")
            .formatted(
                failure,
                load.requests().get(),
                load.ids().size(),
                load.ids().size() - missing,
                missing,
                receiver.duplicates(),
                load.refused(),
                load.failovers().get(),
                recovery.toMillis() / 1000.0);
    LOG.info(line);
    System.out.println(line);
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  @Override
  public void close() {
    instances.forEach(HeraldProcess::close);
    receiver.close();
    kafka.close();
  }
}
