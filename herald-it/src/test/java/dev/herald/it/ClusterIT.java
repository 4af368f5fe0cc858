package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.herald.core.testing.TestPostgres;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Herald as a cluster: three KRaft brokers and two Herald instances, each its own JVM, sharing
 * PostgreSQL (the machine's, or an embedded one), one webhook target on a receiver in the test.
 * Each failure test publishes under load, breaks something, and prints what was published,
 * acknowledged, delivered, seen twice, and how long the recovery took; it asserts the guarantees
 * (nothing acknowledged is lost, no false 200), never a time.
 *
 * <p>The instance-kill test runs in the normal build; the others with {@code -Dherald.cluster=full}
 * (see README, "Cluster tests").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterIT.class);
  private static final Duration READY = Duration.ofSeconds(120);
  private static final int PER_REQUEST = 10;

  private Path tmp;
  private KafkaCluster kafka;
  private TestPostgres.Schema schema;
  private Receiver receiver;
  private final List<HeraldProcess> instances = new ArrayList<>();
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

  @BeforeAll
  void startCluster(@TempDir Path dir) throws Exception {
    tmp = dir;
    long started = System.nanoTime();
    kafka = KafkaCluster.start(tmp.resolve("kafka"), 3, READY);
    schema = TestPostgres.get().createSchema();
    receiver = new Receiver();
    for (int i = 0; i < 2; i++) {
      instances.add(startInstance("herald-" + i));
    }
    for (HeraldProcess herald : instances) {
      herald.awaitReady(READY);
    }
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
    LOG.info(
        "cluster of 3 brokers and {} Herald instances ready in {} s ({})",
        instances.size(),
        Duration.ofNanos(System.nanoTime() - started).toSeconds(),
        TestPostgres.get().description());
  }

  private HeraldProcess startInstance(String name) {
    return HeraldProcess.start(
        tmp.resolve(name),
        Map.of(
            "HERALD_KAFKA_BOOTSTRAP", kafka.bootstrap(),
            "HERALD_STORE_URL", schema.jdbcUrl(),
            "HERALD_SECRET_KEY", secretKey));
  }

  @AfterAll
  void stopCluster() {
    instances.forEach(HeraldProcess::close);
    if (receiver != null) {
      receiver.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (schema != null) {
      schema.close();
    }
  }

  @Test
  void aKilledInstancesDeliveriesMoveToTheOtherAndNothingAcknowledgedIsLost() throws Exception {
    HeraldProcess victim = instances.get(0);
    HeraldProcess survivor = instances.get(1);
    Load load = new Load();
    AtomicBoolean victimAlive = new AtomicBoolean(true);
    // both instances take publishes until the kill, then the survivor alone
    Thread publisher =
        startLoad(load, n -> victimAlive.get() && n % 2 == 0 ? victim : survivor, "kill-instance");
    Thread.sleep(4_000);
    victimAlive.set(false);
    long killedAt = System.nanoTime();
    victim.kill9();
    Thread.sleep(4_000);
    publisher.interrupt();
    publisher.join();

    Duration recovery = awaitAllDelivered(load, killedAt);
    report("kill -9 of an instance", load, recovery);
    assertThat(load.ids()).isNotEmpty();
    assertThat(receiver.calls.keySet()).containsAll(load.ids());
  }

  /** Restarts the instances an earlier test killed: every test starts with both running. */
  @org.junit.jupiter.api.BeforeEach
  void everyInstanceRuns() {
    for (HeraldProcess herald : instances) {
      if (!herald.alive()) {
        herald.restart();
        herald.awaitReady(READY);
      }
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "herald.cluster", matches = "full")
  void oneBrokerLostCostsLatencyNeverARefusal() throws Exception {
    Load load = new Load();
    Thread publisher = startLoad(load, n -> instances.get(n % instances.size()), "kill-broker");
    Thread.sleep(3_000);
    KafkaCluster.Broker lost = kafka.brokers().get(0);
    long killedAt = System.nanoTime();
    lost.kill9();
    Thread.sleep(15_000);
    publisher.interrupt();
    publisher.join();

    Duration recovery = awaitAllDelivered(load, killedAt);
    report("kill -9 of one broker of three", load, recovery);
    assertThat(load.refused()).as("answers other than 200 while one broker was down").isEmpty();
    assertThat(receiver.calls.keySet()).containsAll(load.ids());

    lost.start();
    kafka.awaitBrokers(3, READY);
  }

  @Test
  @EnabledIfSystemProperty(named = "herald.cluster", matches = "full")
  void twoBrokersLostRefuseWithA503NeverAFalse200AndRecoverWhenTheyReturn() throws Exception {
    List<KafkaCluster.Broker> lost = kafka.brokers().subList(1, 3);
    lost.forEach(KafkaCluster.Broker::kill9);
    long sent = System.nanoTime();
    HttpResponse<String> refused = instances.get(0).post("/v1/events", batch("two-brokers", 0));
    Duration answeredAfter = Duration.ofNanos(System.nanoTime() - sent);

    lost.forEach(KafkaCluster.Broker::start);
    long restarted = System.nanoTime();
    kafka.awaitBrokers(3, READY);
    Load load = new Load();
    for (int n = 1; load.ids().isEmpty() && n < 600; n++) {
      publish(load, instances.get(n % 2), batch("two-brokers", n));
      Thread.sleep(200);
    }
    Duration recovered = Duration.ofNanos(System.nanoTime() - restarted);
    awaitAllDelivered(load, restarted);
    String line =
        ("cluster: two brokers of three killed: a publish answered %d after %.1f s (%s); after"
                + " they restarted ingest accepted again within %.1f s")
            .formatted(
                refused.statusCode(),
                answeredAfter.toMillis() / 1000.0,
                refused
                    .headers()
                    .firstValue("Retry-After")
                    .map(r -> "Retry-After " + r)
                    .orElse("no Retry-After"),
                recovered.toMillis() / 1000.0);
    LOG.info(line);
    System.out.println(line);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(load.ids()).isNotEmpty();
    assertThat(receiver.calls.keySet()).containsAll(load.ids());
  }

  @Test
  @EnabledIfSystemProperty(named = "herald.cluster", matches = "full")
  void aRollingRestartOfEveryInstanceLosesNothing() throws Exception {
    Load load = new Load();
    Thread publisher = startLoad(load, n -> instances.get(n % instances.size()), "rolling");
    Thread.sleep(2_000);
    long restartedAt = System.nanoTime();
    for (HeraldProcess herald : instances) {
      herald.close(); // SIGTERM: a graceful stop, as Kubernetes does
      herald.restart();
      herald.awaitReady(READY);
    }
    publisher.interrupt();
    publisher.join();

    Duration recovery = awaitAllDelivered(load, restartedAt);
    report("rolling restart of every instance", load, recovery);
    assertThat(receiver.calls.keySet()).containsAll(load.ids());
  }

  /**
   * Publishes batches of {@link #PER_REQUEST} events, about 200 events a second, to the instance
   * {@code pick} names for the n-th request, until interrupted; a request no instance answers is
   * passed to the next instance, as a load balancer would.
   */
  private Thread startLoad(Load load, IntFunction<HeraldProcess> pick, String run) {
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

  private void publish(Load load, HeraldProcess first, String body) {
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

  private static String batch(String run, int n) {
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
  private Duration awaitAllDelivered(Load load, long failedAt) throws InterruptedException {
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

  private void report(String failure, Load load, Duration recovery) {
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
}
