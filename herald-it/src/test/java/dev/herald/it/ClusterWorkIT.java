package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.core.testing.TestPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each kind of target guarantees when two Herald instances share the work (three KRaft
 * brokers, PostgreSQL for the state and analytics stores): a target's concurrency and rate limits
 * hold for the whole cluster, and a queue, retries, dead letters, the audit log and analytics stay
 * correct across instances while one of them is killed. Each test prints its counts and asserts the
 * guarantees, never a time. Runs with {@code -Dherald.cluster=full} (README, "Cluster mode").
 */
@EnabledIfSystemProperty(named = "herald.cluster", matches = "full")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterWorkIT {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterWorkIT.class);
  private static final Duration DRAIN = Duration.ofSeconds(120);

  /** Calls of the flaky target that fail before the one that succeeds, per event. */
  private static final int FLAKY_FAILURES = 2;

  private TestPostgres.Schema schema;
  private HeraldCluster cluster;
  private Targets targets;

  @BeforeAll
  void startCluster(@TempDir Path dir) throws Exception {
    schema = TestPostgres.get().createSchema();
    cluster = HeraldCluster.start(dir, 3, 2, schema.jdbcUrl());
    targets = new Targets();
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (targets != null) {
      targets.close();
    }
    if (schema != null) {
      schema.close();
    }
  }

  @BeforeEach
  void everyInstanceRuns() {
    cluster.everyInstanceRuns();
  }

  /**
   * Six partitions and {@code concurrency.max} 6: each instance may have as many calls in flight as
   * it owns partitions, so the two together never exceed 6 (a maximum that is not a multiple of the
   * partitions rounds each instance's share up: up to one call more per instance).
   */
  @Test
  @Order(1)
  void aTargetsConcurrencyMaxHoldsForTheWholeCluster() throws Exception {
    HeraldProcess a = cluster.instances.get(0);
    put(
        a,
        "/v1/targets/narrow",
        "{\"type\": \"webhook\", \"webhook\": {\"url\": \"%s\"}, \"concurrency\": {\"max\": 6}}"
            .formatted(targets.url("narrow")));
    put(a, "/v1/buses/default/rules/narrow", rule("cluster.narrow", "narrow"));
    awaitSettled("narrow");

    HeraldCluster.Load load = new HeraldCluster.Load();
    for (int n = 0; n < 20; n++) {
      cluster.publish(load, cluster.instances.get(n % 2), HeraldCluster.batch("narrow", n));
    }
    await(() -> targets.succeeded("narrow").containsAll(load.ids()), "narrow: every event");

    String line =
        ("cluster: concurrency.max 6 on 2 instances: %d events, %d calls (delivered by each"
                + " instance: %s), at most %d in flight at once (each call held 300 ms); shares:"
                + " %s")
            .formatted(
                load.ids().size(),
                targets.calls("narrow"),
                deliveredByEach("narrow"),
                targets.maxInFlight.get(),
                shares("narrow"));
    print(line);
    assertThat(targets.succeeded("narrow")).containsAll(load.ids());
    assertThat(targets.maxInFlight.get())
        .as("calls in flight at once, both instances")
        .isLessThanOrEqualTo(6);
  }

  /**
   * {@code rateLimit.perSecond} 10 for the whole cluster: each instance sends its share and starts
   * with a bucket of that many calls, so in any window of 3 s the receiver may see 10 × 3 + 10
   * calls, plus 5 for calls that arrive late or bunched on this loaded machine (the tolerance). Two
   * instances each applying the whole rate would send up to 80 in such a window.
   */
  @Test
  @Order(2)
  void aTargetsRateLimitHoldsForTheWholeCluster() throws Exception {
    HeraldProcess b = cluster.instances.get(1);
    put(
        b,
        "/v1/targets/paced",
        "{\"type\": \"webhook\", \"webhook\": {\"url\": \"%s\"}, \"rateLimit\": {\"perSecond\": 10}}"
            .formatted(targets.url("paced")));
    put(b, "/v1/buses/default/rules/paced", rule("cluster.paced", "paced"));
    awaitSettled("paced");

    HeraldCluster.Load load = new HeraldCluster.Load();
    for (int n = 0; n < 15; n++) {
      cluster.publish(load, cluster.instances.get(n % 2), HeraldCluster.batch("paced", n));
    }
    await(() -> targets.succeeded("paced").containsAll(load.ids()), "paced: every event");

    List<Long> arrivals = targets.arrivals("paced");
    int busiest = busiestWindow(arrivals, Duration.ofSeconds(3));
    print(
        ("cluster: rateLimit 10/s on 2 instances: %d events, %d calls (delivered by each"
                + " instance: %s) over %.1f s, at most %d in any 3 s window (bound 45); shares: %s")
            .formatted(
                load.ids().size(),
                arrivals.size(),
                deliveredByEach("paced"),
                (arrivals.getLast() - arrivals.getFirst()) / 1e9,
                busiest,
                shares("paced")));
    assertThat(targets.succeeded("paced")).containsAll(load.ids());
    assertThat(busiest)
        .as("calls in the busiest 3 s window, both instances")
        .isLessThanOrEqualTo(45);
  }

  @Test
  @Order(3)
  void queuesRetriesDeadLettersAuditAndAnalyticsStayCorrectWhenAnInstanceIsKilled()
      throws Exception {
    HeraldProcess victim = cluster.instances.get(0);
    HeraldProcess survivor = cluster.instances.get(1);
    Instant from = Instant.now().truncatedTo(ChronoUnit.DAYS);
    createTheWorkTargets(survivor);
    awaitSettled("stats");

    HeraldCluster.Load load = new HeraldCluster.Load();
    Consumers consumers = new Consumers();
    List<Thread> readers =
        List.of(consumers.start(victim, "jobs"), consumers.start(survivor, "jobs"));
    AtomicBoolean victimAlive = new AtomicBoolean(true);
    Thread publisher =
        cluster.startLoad(load, n -> victimAlive.get() && n % 2 == 0 ? victim : survivor, "work");
    Thread.sleep(3_000);
    victimAlive.set(false);
    victim.kill9();
    Thread.sleep(3_000);
    publisher.interrupt();
    publisher.join();
    cluster.everyInstanceRuns(); // the queue is read through both instances again
    Set<String> ids = load.ids();

    await(() -> consumers.received().containsAll(ids), "jobs: every event received");
    await(() -> deadLetters(survivor).size() >= ids.size(), "dead: every event dead-lettered");
    await(() -> auditEntries(survivor).size() >= ids.size(), "ledger: every event appended");
    await(() -> analyticsTotal(survivor, from) >= ids.size(), "stats: every event counted");
    await(() -> targets.succeeded("flaky").containsAll(ids), "flaky: every event delivered");
    Thread.sleep(5_000); // late duplicates (calls repeated after the kill) would land by now
    readers.forEach(Thread::interrupt);
    for (Thread reader : readers) {
      reader.join();
    }

    List<JsonNode> deadOnA = deadLetters(victim);
    List<JsonNode> deadOnB = deadLetters(survivor);
    List<JsonNode> audit = auditEntries(victim);
    JsonNode verifyA = HeraldProcess.json(victim.get("/v1/audit/verify"));
    JsonNode verifyB = HeraldProcess.json(survivor.get("/v1/audit/verify"));
    long countedA = analyticsTotal(victim, from);
    long countedB = analyticsTotal(survivor, from);

    // dead letters redriven from both instances reach the receiver, which now accepts them
    targets.deadAccepts.set(true);
    List<String> half =
        deadOnA.subList(0, deadOnA.size() / 2).stream().map(e -> e.get("id").asText()).toList();
    int redrivenA = redrive(victim, idsBody(half));
    int redrivenB = redrive(survivor, "{\"all\": true}");
    await(() -> targets.succeeded("dead").containsAll(ids), "dead: every redriven event");

    print(
        ("cluster: work across instances, instance killed mid-run: %d events acknowledged, %d"
                + " stored (the audit log's events);"
                + " queue: %d received through A, %d through B, %d received again after an"
                + " unacked lease expired, %d after their ack; flaky: %d calls (%d failed"
                + " attempts), %d events delivered, %d delivered more than once, %d not yet;"
                + " dead: %d dead letters"
                + " listed on A, %d on B, %d distinct delivery keys, redriven %d from A and %d"
                + " from B; audit: %d entries, seq %d..%d, verify valid on A %s (%d), on B %s;"
                + " analytics: %d counted (A), %d (B)")
            .formatted(
                ids.size(),
                new HashSet<>(eventIds(audit)).size(),
                consumers.receivedThrough.get(victim.url()).get(),
                consumers.receivedThrough.get(survivor.url()).get(),
                consumers.receivedAgainUnacked.get(),
                consumers.receivedAfterAck.get(),
                targets.calls("flaky"),
                targets.failedCalls.get(),
                targets.succeeded("flaky").size(),
                targets.deliveredTwice("flaky"),
                eventIds(audit).stream()
                    .filter(id -> !targets.succeeded("flaky").contains(id))
                    .count(),
                deadOnA.size(),
                deadOnB.size(),
                deliveryKeys(deadOnA).size(),
                redrivenA,
                redrivenB,
                audit.size(),
                audit.isEmpty() ? 0 : audit.getFirst().get("seq").asLong(),
                audit.isEmpty() ? 0 : audit.getLast().get("seq").asLong(),
                verifyA.path("valid").asBoolean(),
                verifyA.path("entries").asLong(),
                verifyB.path("valid").asBoolean(),
                countedA,
                countedB));

    // The events the cluster stored: every acknowledged one, and perhaps a few more whose publish
    // reached the killed instance and was stored but not answered (the audit log names them all).
    Set<String> stored = new HashSet<>(eventIds(audit));
    assertThat(stored).containsAll(ids).allMatch(consumers.eventOf::containsValue);
    // queue: every message received, none after its ack
    assertThat(consumers.received()).containsAll(stored);
    assertThat(consumers.receivedAfterAck.get()).as("messages received after their ack").isZero();
    // dead letters: one per event, the same list on both instances, redrivable from either
    assertThat(eventIds(deadOnA)).containsExactlyInAnyOrderElementsOf(stored);
    assertThat(deliveryKeys(deadOnA)).hasSize(deadOnA.size());
    assertThat(eventIds(deadOnB)).containsExactlyInAnyOrderElementsOf(eventIds(deadOnA));
    assertThat(redrivenA + redrivenB).isEqualTo(stored.size());
    assertThat(targets.succeeded("dead")).containsAll(stored);
    assertThat(deadLetters(victim)).isEmpty();
    // audit: one entry per delivery, numbered 1..n without gap or repeat, the chain intact
    assertThat(eventIds(audit)).hasSize(stored.size());
    assertThat(deliveryKeys(audit)).hasSize(audit.size());
    for (int i = 0; i < audit.size(); i++) {
      assertThat(audit.get(i).get("seq").asLong()).isEqualTo(i + 1L);
    }
    assertThat(verifyA.get("valid").asBoolean()).isTrue();
    assertThat(verifyA.get("entries").asLong()).isEqualTo(audit.size());
    assertThat(verifyB.get("valid").asBoolean()).isTrue();
    // analytics: each delivery counted exactly once, whichever instance answers
    assertThat(countedA).isEqualTo(stored.size());
    assertThat(countedB).isEqualTo(stored.size());
    // retries: every event delivered after its failed attempts
    assertThat(targets.succeeded("flaky")).as("flaky: events delivered").containsAll(stored);
  }

  private void createTheWorkTargets(HeraldProcess herald) {
    String noCircuit = "\"circuit\": {\"enabled\": false}";
    String fastRetry = "\"backoff\": {\"initialMs\": 100, \"multiplier\": 2.0, \"maxMs\": 1000}";
    put(
        herald,
        "/v1/targets/jobs",
        "{\"type\": \"queue\", \"queue\": {\"visibilitySeconds\": 5}, \"retry\": {\"maxAttempts\":"
            + " 10}}");
    put(
        herald,
        "/v1/targets/flaky",
        "{\"type\": \"webhook\", \"webhook\": {\"url\": \"%s\"}, \"retry\": {\"maxAttempts\": 6, %s},"
                .formatted(targets.url("flaky"), fastRetry)
            + noCircuit
            + "}");
    put(
        herald,
        "/v1/targets/dead",
        "{\"type\": \"webhook\", \"webhook\": {\"url\": \"%s\"}, \"retry\": {\"maxAttempts\": 1},"
                .formatted(targets.url("dead"))
            + noCircuit
            + "}");
    put(herald, "/v1/targets/ledger", "{\"type\": \"audit\"}");
    put(herald, "/v1/targets/stats", "{\"type\": \"analytics\"}");
    put(
        herald,
        "/v1/buses/default/rules/work",
        rule("cluster.work", "jobs", "flaky", "dead", "ledger", "stats"));
  }

  private static String rule(String source, String... targetNames) {
    StringBuilder list = new StringBuilder();
    for (String name : targetNames) {
      list.append(list.isEmpty() ? "" : ", ").append("{\"target\": \"").append(name).append("\"}");
    }
    return "{\"pattern\": {\"source\": [\"%s\"]}, \"targets\": [%s]}".formatted(source, list);
  }

  private static void put(HeraldProcess herald, String path, String body) {
    HttpResponse<String> answer = herald.put(path, body);
    assertThat(answer.statusCode()).as("PUT %s: %s", path, answer.body()).isEqualTo(200);
  }

  /**
   * Waits until both instances have been given their share of the new target's partitions: each
   * logs its share at the rebalance, or, while it owns none or all, nothing; a settling pause then
   * lets the cooperative rebalance finish before the load starts.
   */
  private void awaitSettled(String target) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline && shares(target).size() < 2) {
      Thread.sleep(200);
    }
    Thread.sleep(5_000);
  }

  /** How many deliveries to {@code target} each instance made, from its {@code /metrics}. */
  private List<Long> deliveredByEach(String target) {
    Pattern line =
        Pattern.compile(
            "(?m)^herald_delivery_attempts_total\\{result=\"Delivered\",target=\""
                + Pattern.quote(target)
                + "\"} ([0-9.E+]+)$");
    List<Long> counts = new ArrayList<>();
    for (HeraldProcess herald : cluster.instances) {
      Matcher m = line.matcher(herald.get("/metrics").body());
      counts.add(m.find() ? (long) Double.parseDouble(m.group(1)) : 0L);
    }
    return counts;
  }

  /** The last share line each instance logged for {@code target}. */
  private List<String> shares(String target) {
    List<String> lines = new ArrayList<>();
    String marker = "target " + target + ": this instance owns ";
    for (HeraldProcess herald : cluster.instances) {
      String log = herald.logText();
      int at = log.lastIndexOf(marker);
      if (at >= 0) {
        int end = log.indexOf('"', at);
        int newline = log.indexOf('\n', at);
        int stop = end < 0 ? newline : newline < 0 ? end : Math.min(end, newline);
        lines.add(log.substring(at + marker.length(), stop < 0 ? log.length() : stop));
      }
    }
    return lines;
  }

  private static int busiestWindow(List<Long> arrivals, Duration window) {
    int busiest = 0;
    int first = 0;
    for (int last = 0; last < arrivals.size(); last++) {
      while (arrivals.get(last) - arrivals.get(first) >= window.toNanos()) {
        first++;
      }
      busiest = Math.max(busiest, last - first + 1);
    }
    return busiest;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        LOG.warn("still waiting after {}: {}", DRAIN, what);
        return; // the assertions after the wait say what is missing
      }
      Thread.sleep(250);
    }
  }

  private static List<JsonNode> deadLetters(HeraldProcess herald) {
    return pages(herald, "/v1/targets/dead/dlq?limit=1000", "entries");
  }

  private static List<JsonNode> auditEntries(HeraldProcess herald) {
    return pages(herald, "/v1/audit?source=cluster.work&limit=1000", "entries");
  }

  private static List<JsonNode> pages(HeraldProcess herald, String path, String field) {
    List<JsonNode> all = new ArrayList<>();
    String next = null;
    do {
      String page =
          next == null ? path : path + "&after=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
      HttpResponse<String> answer = herald.get(page);
      assertThat(answer.statusCode()).as("GET %s: %s", page, answer.body()).isEqualTo(200);
      JsonNode body = HeraldProcess.json(answer);
      body.path(field).forEach(all::add);
      next = body.path("next").isTextual() ? body.get("next").asText() : null;
    } while (next != null);
    return all;
  }

  private static long analyticsTotal(HeraldProcess herald, Instant from) {
    String path =
        "/v1/analytics/counts?groupBy=source&interval=1d&from=%s&to=%s"
            .formatted(from, from.plus(2, ChronoUnit.DAYS));
    HttpResponse<String> answer = herald.get(path);
    assertThat(answer.statusCode()).as("GET %s: %s", path, answer.body()).isEqualTo(200);
    long total = 0;
    for (JsonNode series : HeraldProcess.json(answer).path("series")) {
      if (series.path("key").asText().equals("cluster.work")) {
        total += series.path("total").asLong();
      }
    }
    return total;
  }

  private static int redrive(HeraldProcess herald, String body) {
    HttpResponse<String> answer = herald.post("/v1/targets/dead/dlq/redrive", body);
    assertThat(answer.statusCode()).as("redrive: %s", answer.body()).isEqualTo(200);
    return HeraldProcess.json(answer).get("redriven").asInt();
  }

  private static String idsBody(List<String> ids) {
    StringBuilder body = new StringBuilder("{\"ids\": [");
    for (int i = 0; i < ids.size(); i++) {
      body.append(i == 0 ? "\"" : ", \"").append(ids.get(i)).append('"');
    }
    return body.append("]}").toString();
  }

  private static List<String> eventIds(List<JsonNode> entries) {
    return entries.stream()
        .map(
            e -> e.has("eventId") ? e.get("eventId").asText() : e.path("event").path("id").asText())
        .toList();
  }

  private static Set<String> deliveryKeys(List<JsonNode> entries) {
    Set<String> keys = new HashSet<>();
    entries.forEach(e -> keys.add(e.get("deliveryKey").asText()));
    return keys;
  }

  private static void print(String line) {
    LOG.info(line);
    System.out.println(line);
  }

  /**
   * Queue consumers, one per instance: each receives through its instance's API and acks at once,
   * and notes every message received again after it was acked (never allowed) or after a lease that
   * was not acked in time (a consumer's instance killed mid-receive).
   */
  private static final class Consumers {
    final Map<String, AtomicInteger> receivedThrough = new ConcurrentHashMap<>();
    final Map<String, Boolean> acked = new ConcurrentHashMap<>(); // by message id
    final Map<String, String> eventOf = new ConcurrentHashMap<>(); // message id to event id
    final AtomicInteger receivedAfterAck = new AtomicInteger();
    final AtomicInteger receivedAgainUnacked = new AtomicInteger();

    Set<String> received() {
      return new HashSet<>(eventOf.values());
    }

    Thread start(HeraldProcess herald, String queue) {
      receivedThrough.put(herald.url(), new AtomicInteger());
      return Thread.ofPlatform()
          .name("consumer-" + herald.url())
          .start(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  try {
                    receiveAndAck(herald, queue);
                  } catch (RuntimeException e) { // the instance is down: try again
                    HeraldProcess.sleep(200);
                  }
                }
              });
    }

    private void receiveAndAck(HeraldProcess herald, String queue) {
      HttpResponse<String> answer =
          herald.post(
              "/v1/queues/" + queue + "/receive",
              "{\"max\": 50, \"waitSeconds\": 1, \"visibilitySeconds\": 5}");
      if (answer.statusCode() != 200) {
        HeraldProcess.sleep(200);
        return;
      }
      List<String> handles = new ArrayList<>();
      Map<String, String> messageOf = new HashMap<>();
      for (JsonNode message : HeraldProcess.json(answer).path("messages")) {
        String id = message.get("messageId").asText();
        if (Boolean.TRUE.equals(acked.get(id))) {
          receivedAfterAck.incrementAndGet();
        } else if (eventOf.containsKey(id)) {
          receivedAgainUnacked.incrementAndGet();
        }
        eventOf.put(id, message.path("event").path("id").asText());
        receivedThrough.get(herald.url()).incrementAndGet();
        String handle = message.get("receiptHandle").asText();
        handles.add(handle);
        messageOf.put(handle, id);
      }
      if (handles.isEmpty()) {
        return;
      }
      StringBuilder body = new StringBuilder("{\"receiptHandles\": [");
      for (int i = 0; i < handles.size(); i++) {
        body.append(i == 0 ? "\"" : ", \"").append(handles.get(i)).append('"');
      }
      HttpResponse<String> ack = herald.post("/v1/queues/" + queue + "/ack", body + "]}");
      if (ack.statusCode() != 200) {
        return; // not acked: the messages come back after their visibility
      }
      Set<String> failed = new HashSet<>();
      HeraldProcess.json(ack)
          .path("failed")
          .forEach(f -> failed.add(f.path("receiptHandle").asText()));
      messageOf.forEach(
          (handle, id) -> {
            if (!failed.contains(handle)) {
              acked.put(id, true);
            }
          });
    }
  }

  /**
   * The receivers of the webhook targets, one path each: {@code narrow} holds every call 300 ms and
   * records the most calls in flight at once; {@code paced} records when each call arrived; {@code
   * flaky} fails the first {@link #FLAKY_FAILURES} calls of each event with a 503; {@code dead}
   * fails every call with a 500 until {@link #deadAccepts} is set.
   */
  private static final class Targets implements AutoCloseable {
    final HttpServer server;
    final Map<String, Map<String, AtomicInteger>> callsByTarget = new ConcurrentHashMap<>();
    final Map<String, Map<String, AtomicInteger>> successes = new ConcurrentHashMap<>();
    final Map<String, ConcurrentLinkedQueue<Long>> arrivalsByTarget = new ConcurrentHashMap<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger failedCalls = new AtomicInteger();
    final AtomicBoolean deadAccepts = new AtomicBoolean(false);

    Targets() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/", this::handle);
      server.start();
    }

    String url(String target) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + target;
    }

    private void handle(HttpExchange exchange) throws IOException {
      long arrived = System.nanoTime();
      exchange.getRequestBody().readAllBytes();
      String target = exchange.getRequestURI().getPath().substring(1);
      String event = exchange.getRequestHeaders().getFirst("herald-event-id");
      arrivalsByTarget.computeIfAbsent(target, t -> new ConcurrentLinkedQueue<>()).add(arrived);
      int call =
          callsByTarget
              .computeIfAbsent(target, t -> new ConcurrentHashMap<>())
              .computeIfAbsent(event, e -> new AtomicInteger())
              .incrementAndGet();
      int status =
          switch (target) {
            case "narrow" -> held();
            case "flaky" -> call <= FLAKY_FAILURES ? 503 : 204;
            case "dead" -> deadAccepts.get() ? 204 : 500;
            default -> 204;
          };
      if (status == 204) {
        successes
            .computeIfAbsent(target, t -> new ConcurrentHashMap<>())
            .computeIfAbsent(event, e -> new AtomicInteger())
            .incrementAndGet();
      } else if (target.equals("flaky")) {
        failedCalls.incrementAndGet();
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    }

    private int held() {
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
      }
      return 204;
    }

    Set<String> succeeded(String target) {
      return successes.getOrDefault(target, Map.of()).keySet();
    }

    long calls(String target) {
      return callsByTarget.getOrDefault(target, Map.of()).values().stream()
          .mapToLong(AtomicInteger::get)
          .sum();
    }

    long deliveredTwice(String target) {
      return successes.getOrDefault(target, Map.of()).values().stream()
          .filter(c -> c.get() > 1)
          .count();
    }

    List<Long> arrivals(String target) {
      List<Long> sorted =
          new ArrayList<>(arrivalsByTarget.getOrDefault(target, new ConcurrentLinkedQueue<>()));
      sorted.sort(null);
      return sorted;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
