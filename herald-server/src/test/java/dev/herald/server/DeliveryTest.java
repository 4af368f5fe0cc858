package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Delivery to real HTTP receivers: retries, dead letters, redrive, 410, isolation. */
class DeliveryTest {
  private final Herald herald = TestHerald.shared();
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  /** A webhook target with fast retries, and a rule sending source {@code s-<id>} to it. */
  private void webhook(String name, String url, int maxAttempts) {
    var target =
        put(
            herald,
            "/v1/targets/" + name,
            "{'type':'webhook','webhook':{'url':'"
                + url
                + "'},'retry':{'maxAttempts':"
                + maxAttempts
                + ",'maxEventAgeSeconds':600,'backoff':{'initialMs':50,'multiplier':2.0,'maxMs':200}},"
                + "'circuit':{'enabled':false}}");
    assertThat(target.status()).as(String.valueOf(target.body())).isEqualTo(200);
    var rule =
        put(
            herald,
            "/v1/buses/default/rules/" + name,
            "{'pattern':{'source':['" + name + "']},'targets':[{'target':'" + name + "'}]}");
    assertThat(rule.status()).as(String.valueOf(rule.body())).isEqualTo(200);
  }

  private String publish(String source) {
    var answer =
        postJson(
            herald, "{'entries':[{'source':'" + source + "','detailType':'T','detail':{'n':1}}]}");
    return answer.body().at("/entries/0/eventId").asText();
  }

  private JsonNode journey(String eventId) {
    return get(herald, "/v1/events/" + eventId).body().get("deliveries");
  }

  @Test
  void aReceiverFailingTwiceThenSucceedingGetsOneDeliveryInThreeAttemptsWithOneWebhookId() {
    AtomicInteger calls = new AtomicInteger();
    try (Receiver receiver = new Receiver(() -> calls.incrementAndGet() <= 2 ? 500 : 204)) {
      String name = "flaky-" + id;
      webhook(name, receiver.url(), 5);
      String eventId = publish(name);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "delivered".equals(journey(eventId).at("/0/status").asText()));
      assertThat(journey(eventId).at("/0/attempts").asInt()).isEqualTo(3);
      assertThat(receiver.calls).hasSize(3);
      Set<String> webhookIds = new HashSet<>();
      receiver.calls.forEach(c -> webhookIds.add(c.header("webhook-id")));
      assertThat(webhookIds).containsExactly(journey(eventId).at("/0/deliveryKey").asText());
      assertThat(receiver.calls.get(2).header("herald-attempt")).isEqualTo("3");
      assertThat(receiver.calls.get(0).header("herald-event-id")).isEqualTo(eventId);
    }
  }

  @Test
  void aReceiverAlwaysFailingDeadLettersAfterMaxAttemptsAndRedriveDeliversItAfterRecovery() {
    AtomicInteger status = new AtomicInteger(503);
    try (Receiver receiver = new Receiver(status::get)) {
      String name = "down-" + id;
      webhook(name, receiver.url(), 3);
      String eventId = publish(name);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "dead-lettered".equals(journey(eventId).at("/0/status").asText()));
      JsonNode dlq = get(herald, "/v1/targets/" + name + "/dlq").body();
      assertThat(dlq.get("entries")).hasSize(1);
      JsonNode letter = dlq.get("entries").get(0);
      assertThat(letter.get("attempts").asInt()).isEqualTo(3);
      assertThat(letter.at("/error/code").asText()).isEqualTo("HttpStatus503");
      assertThat(letter.at("/event/id").asText()).isEqualTo(eventId);
      assertThat(letter.at("/event/detail-type").asText()).isEqualTo("T");
      assertThat(receiver.calls).hasSize(3);

      status.set(200);
      var redriven =
          postJson(
              herald,
              "/v1/targets/" + name + "/dlq/redrive",
              "{'ids':['" + letter.get("id").asText() + "']}");
      assertThat(redriven.body().get("redriven").asInt())
          .as(redriven.body().toString())
          .isEqualTo(1);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "delivered".equals(journey(eventId).at("/0/status").asText()));
      assertThat(get(herald, "/v1/targets/" + name + "/dlq").body().get("entries")).isEmpty();
    }
  }

  @Test
  void aReceiverAnswering400DeadLettersAfterOneAttempt() {
    try (Receiver receiver = new Receiver(() -> 400)) {
      String name = "bad-" + id;
      webhook(name, receiver.url(), 5);
      String eventId = publish(name);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "dead-lettered".equals(journey(eventId).at("/0/status").asText()));
      assertThat(receiver.calls).hasSize(1);
      assertThat(journey(eventId).at("/0/lastError/code").asText()).isEqualTo("HttpStatus400");
      var purged = TestHerald.delete(herald, "/v1/targets/" + name + "/dlq?all=true");
      assertThat(purged.body().get("purged").asInt()).isEqualTo(1);
    }
  }

  @Test
  void a410DisablesTheTargetUntilResumed() {
    AtomicInteger status = new AtomicInteger(410);
    try (Receiver receiver = new Receiver(status::get)) {
      String name = "gone-" + id;
      webhook(name, receiver.url(), 5);
      String eventId = publish(name);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !get(herald, "/v1/targets/" + name).body().get("enabled").asBoolean());
      status.set(200);
      var resumed = postJson(herald, "/v1/targets/" + name + "/resume", "{}");
      assertThat(resumed.status()).as(String.valueOf(resumed.body())).isEqualTo(200);
      assertThat(resumed.body().get("enabled").asBoolean()).isTrue();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "delivered".equals(journey(eventId).at("/0/status").asText()));
    }
  }

  @Test
  void aHealthyTargetKeepsDeliveringWhileAnotherIsSlowAndAThirdFails() {
    try (Receiver healthy = new Receiver(() -> 200);
        Receiver slow = new Receiver(() -> 200);
        Receiver failing = new Receiver(() -> 500)) {
      slow.delay(5000);
      String source = "iso-" + id;
      for (String kind : new String[] {"healthy", "slow", "failing"}) {
        String url =
            switch (kind) {
              case "healthy" -> healthy.url();
              case "slow" -> slow.url();
              default -> failing.url();
            };
        put(
            herald,
            "/v1/targets/" + kind + "-" + id,
            "{'type':'webhook','webhook':{'url':'"
                + url
                + "'},'concurrency':{'max':2},'timeoutMs':10000,"
                + "'retry':{'maxAttempts':50,'maxEventAgeSeconds':600,'backoff':{'initialMs':50,'maxMs':100}}}");
      }
      put(
          herald,
          "/v1/buses/default/rules/iso-" + id,
          "{'pattern':{'source':['"
              + source
              + "']},'targets':[{'target':'healthy-"
              + id
              + "'},"
              + "{'target':'slow-"
              + id
              + "'},{'target':'failing-"
              + id
              + "'}]}");
      for (int i = 0; i < 40; i++) {
        publish(source);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> healthy.calls.size() >= 40);
      // the slow receiver takes 5 s per call, 2 at a time: it cannot have taken 40 yet
      assertThat(slow.calls.size()).isLessThan(40);
    }
  }

  @Test
  void anOrderedTargetDeliversEachKeyInPublishOrderThroughRetries() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    // every third call fails: failures hold back only later events of the same key
    try (Receiver receiver = new Receiver(() -> calls.incrementAndGet() % 3 == 0 ? 503 : 200)) {
      String name = "ordered-" + id;
      var target =
          put(
              herald,
              "/v1/targets/" + name,
              "{'type':'webhook','webhook':{'url':'"
                  + receiver.url()
                  + "'},'ordered':true,"
                  + "'concurrency':{'max':16},'circuit':{'enabled':false},"
                  + "'retry':{'maxAttempts':20,'maxEventAgeSeconds':600,'backoff':{'initialMs':20,'maxMs':50}}}");
      assertThat(target.status()).as(String.valueOf(target.body())).isEqualTo(200);
      put(
          herald,
          "/v1/buses/default/rules/" + name,
          "{'pattern':{'source':['" + name + "']},'targets':[{'target':'" + name + "'}]}");
      StringBuilder batch = new StringBuilder("{'entries':[");
      for (int i = 0; i < 60; i++) {
        batch
            .append(i == 0 ? "" : ",")
            .append(
                "{'source':'"
                    + name
                    + "','detailType':'T','orderingKey':'k"
                    + (i % 4)
                    + "','detail':{'seq':"
                    + i
                    + "}}");
      }
      JsonNode published = postJson(herald, batch + "]}").body();
      assertThat(published.get("failedEntryCount").asInt()).isZero();
      String firstEvent = published.at("/entries/0/eventId").asText();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(delivered(receiver))
                      .as(
                          "calls "
                              + receiver.calls.size()
                              + " target "
                              + get(herald, "/v1/targets/" + name).body()
                              + " journey "
                              + journey(firstEvent))
                      .isGreaterThanOrEqualTo(60));
      java.util.Map<String, java.util.List<Integer>> perKey = new java.util.HashMap<>();
      for (Receiver.Call call : receiver.calls) {
        if (call.status() == 200) {
          JsonNode envelope = dev.herald.core.json.Json.MAPPER.readTree(call.body());
          int seq = envelope.at("/detail/seq").asInt();
          perKey.computeIfAbsent("k" + (seq % 4), k -> new java.util.ArrayList<>()).add(seq);
        }
      }
      assertThat(perKey).hasSize(4);
      perKey
          .values()
          .forEach(seqs -> assertThat(seqs).isSorted().doesNotHaveDuplicates().hasSize(15));
    }
  }

  private static long delivered(Receiver receiver) {
    return receiver.calls.stream().filter(c -> c.status() == 200).count();
  }

  @Test
  void anOpenCircuitKeepsEventsOutOfTheDeadLettersDuringAnOutageAndDeliversThemAfter() {
    AtomicInteger status = new AtomicInteger(503);
    try (Receiver receiver = new Receiver(status::get)) {
      String name = "outage-" + id;
      var target =
          put(
              herald,
              "/v1/targets/" + name,
              "{'type':'webhook','webhook':{'url':'"
                  + receiver.url()
                  + "'},"
                  + "'circuit':{'enabled':true,'failureRatePercent':50,'minimumAttempts':4,'openSeconds':1},"
                  + "'retry':{'maxAttempts':6,'maxEventAgeSeconds':600,'backoff':{'initialMs':20,'maxMs':50}}}");
      assertThat(target.status()).as(String.valueOf(target.body())).isEqualTo(200);
      put(
          herald,
          "/v1/buses/default/rules/" + name,
          "{'pattern':{'source':['" + name + "']},'targets':[{'target':'" + name + "'}]}");
      java.util.List<String> events = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        events.add(publish(name));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.calls.size() >= 8);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  !get(herald, "/v1/targets/" + name)
                      .body()
                      .at("/state/circuit")
                      .asText()
                      .equals("closed"));
      // 6 attempts each would dead-letter all 10 without the circuit; with it, they wait
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
      assertThat(get(herald, "/v1/targets/" + name + "/dlq").body().get("entries")).isEmpty();
      assertThat(circuitMetric(name)).as("open (2) or probing (1) while failing").isIn(1.0, 2.0);
      assertThat(receiver.calls.size()).isLessThan(60);
      status.set(200);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  events.stream()
                      .allMatch(e -> "delivered".equals(journey(e).at("/0/status").asText())));
      assertThat(get(herald, "/v1/targets/" + name + "/dlq").body().get("entries")).isEmpty();
      assertThat(circuitMetric(name)).as("closed again").isEqualTo(0.0);
    }
  }

  private double circuitMetric(String target) {
    String metrics =
        new String(get(herald, "/metrics").raw().body(), java.nio.charset.StandardCharsets.UTF_8);
    String prefix = "herald_target_circuit_state{target=\"" + target + "\"} ";
    return metrics
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + "in /metrics"));
  }
}
