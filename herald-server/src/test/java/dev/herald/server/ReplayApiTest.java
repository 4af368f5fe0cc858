package dev.herald.server;

import static dev.herald.server.TestHerald.delete;
import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays through the API on the shared Herald: a bus whose archive is kept forever, a webhook
 * receiver that got five events, a replay of the last two; and every bad request.
 */
class ReplayApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Herald herald = TestHerald.shared();
  private static final String id = UUID.randomUUID().toString().substring(0, 8);
  private static final String bus = "replays-" + id;
  private static final String rule = "hook-" + id;
  private static Receiver receiver;
  private static final List<String> events = new ArrayList<>();
  private static Instant middle;
  private static Instant end;

  @BeforeAll
  static void fiveEventsDelivered() throws Exception {
    receiver = new Receiver(() -> 204);
    assertThat(put(herald, "/v1/buses/" + bus, "{'archiveRetentionDays':0}").status())
        .isEqualTo(200);
    assertThat(get(herald, "/v1/buses/" + bus).body().path("archiveRetentionDays").asInt())
        .isZero();
    assertThat(
            put(
                    herald,
                    "/v1/targets/" + rule,
                    "{'type':'webhook','webhook':{'url':'" + receiver.url() + "'}}")
                .status())
        .isEqualTo(200);
    assertThat(
            put(
                    herald,
                    "/v1/buses/" + bus + "/rules/" + rule,
                    "{'pattern':{'source':['shop']},'targets':[{'target':'" + rule + "'}]}")
                .status())
        .isEqualTo(200);
    publish(3);
    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.calls.size() == 3);
    Thread.sleep(5);
    middle = Instant.now();
    Thread.sleep(5);
    publish(2);
    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.calls.size() == 5);
    Thread.sleep(5);
    end = Instant.now();
  }

  @AfterAll
  static void close() {
    receiver.close();
  }

  private static void publish(int count) {
    StringBuilder entries = new StringBuilder();
    for (int i = 0; i < count; i++) {
      entries
          .append(i == 0 ? "" : ",")
          .append("{'bus':'")
          .append(bus)
          .append("','source':'shop','detailType':'Placed','detail':{'n':")
          .append(events.size() + i)
          .append("}}");
    }
    var answer = postJson(herald, "{'entries':[" + entries + "]}");
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
    answer.body().path("entries").forEach(e -> events.add(e.path("eventId").asText()));
  }

  private static TestHerald.Answer start(String body) {
    return postJson(herald, "/v1/buses/" + bus + "/replays", body);
  }

  private static String window(String name) {
    return "{'name':'" + name + "','from':'" + middle + "','to':'" + end + "'}";
  }

  @Test
  void replaysTheWindowToTheTargetWithNewDeliveryKeysAndTheReplayName() throws Exception {
    String name = "fix-" + id;
    var started = start(window(name));
    assertThat(started.status()).as(String.valueOf(started.body())).isEqualTo(201);
    assertThat(started.body().path("state").asText()).isIn("running", "completed");
    assertThat(started.body().path("changedBy").asText()).isEqualTo("anonymous");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                get(herald, "/v1/buses/" + bus + "/replays/" + name)
                    .body()
                    .path("state")
                    .asText()
                    .equals("completed"));
    JsonNode replay = get(herald, "/v1/buses/" + bus + "/replays/" + name).body();
    assertThat(replay.path("eventsReplayed").asLong()).isEqualTo(2);
    assertThat(replay.path("eventsTotal").asLong()).isEqualTo(2);
    assertThat(replay.path("lastReplayedTime").asText()).isNotEmpty();
    assertThat(replay.path("lanes").isArray()).isTrue();
    assertThat(replay.path("lanes")).isEmpty(); // completed: no target left behind
    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.calls.size() == 7);

    List<Receiver.Call> replayed = receiver.calls.subList(5, 7);
    Set<String> originalKeys = new HashSet<>();
    receiver.calls.subList(0, 5).forEach(c -> originalKeys.add(c.header("webhook-id")));
    Set<String> replayedIds = new HashSet<>();
    for (Receiver.Call call : replayed) {
      assertThat(call.header("herald-replay-name")).isEqualTo(name);
      assertThat(originalKeys).doesNotContain(call.header("webhook-id"));
      JsonNode envelope = JSON.readTree(call.body());
      assertThat(envelope.path("replay-name").asText()).isEqualTo(name);
      replayedIds.add(envelope.path("id").asText());
    }
    assertThat(replayedIds).containsExactlyInAnyOrderElementsOf(events.subList(3, 5));
    for (Receiver.Call call : receiver.calls.subList(0, 5)) {
      assertThat(call.header("herald-replay-name")).isNull();
    }

    String eventId = events.get(4);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                get(herald, "/v1/events/" + eventId)
                        .body()
                        .path("deliveries")
                        .findValues("status")
                        .stream()
                        .filter(s -> s.asText().equals("delivered"))
                        .count()
                    == 2);
    JsonNode journey = get(herald, "/v1/events/" + eventId).body().path("deliveries");
    assertThat(journey).hasSize(2);
    assertThat(journey.get(0).has("replay")).isFalse();
    assertThat(journey.get(1).path("replay").asText()).isEqualTo(name);
    assertThat(journey.get(1).path("deliveryKey").asText())
        .isNotEqualTo(journey.get(0).path("deliveryKey").asText());

    JsonNode list = get(herald, "/v1/buses/" + bus + "/replays").body();
    assertThat(list.path("replays").findValuesAsText("name")).contains(name);
    assertThat(list.path("next").isNull()).isTrue();

    var again = start(window(name));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().at("/error/code").asText()).isEqualTo("ReplayExists");

    var cancelled = delete(herald, "/v1/buses/" + bus + "/replays/" + name);
    assertThat(cancelled.status()).isEqualTo(409);
    assertThat(cancelled.body().at("/error/code").asText()).isEqualTo("ReplayNotRunning");
  }

  @Test
  void aShapingFailureDuringAReplayIsADeadLetterAsInLiveRouting() throws Exception {
    String txBus = "replay-tx-" + id;
    String target = "replay-tx-" + id;
    assertThat(put(herald, "/v1/buses/" + txBus, "{'archiveRetentionDays':0}").status())
        .isEqualTo(200);
    assertThat(put(herald, "/v1/targets/" + target, "{'type':'log','enabled':false}").status())
        .isEqualTo(200);
    assertThat(
            put(
                    herald,
                    "/v1/buses/" + txBus + "/rules/needs-coupon",
                    "{'pattern':{'source':['s']},'targets':[{'target':'"
                        + target
                        + "','inputPath':'$.detail.coupon'}]}")
                .status())
        .isEqualTo(200);
    Instant from = Instant.now();
    Thread.sleep(5);
    var published =
        postJson(
            herald,
            "{'entries':[{'bus':'" + txBus + "','source':'s','detailType':'T','detail':{}}]}");
    assertThat(published.status()).isEqualTo(200);
    String eventId = published.body().at("/entries/0/eventId").asText();
    String dlq = "/v1/targets/" + target + "/dlq";
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> get(herald, dlq).body().path("entries").size() == 1); // the live one
    Thread.sleep(5);
    Instant to = Instant.now();

    String name = "tx-" + id;
    var started =
        postJson(
            herald,
            "/v1/buses/" + txBus + "/replays",
            "{'name':'" + name + "','from':'" + from + "','to':'" + to + "'}");
    assertThat(started.status()).as(String.valueOf(started.body())).isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> get(herald, dlq).body().path("entries").size() == 2);
    JsonNode letters = get(herald, dlq).body().path("entries");
    JsonNode live = letters.get(0);
    JsonNode replayed = letters.get(1);
    assertThat(replayed.path("error").path("code").asText())
        .isEqualTo(live.path("error").path("code").asText())
        .isEqualTo("TransformError");
    assertThat(replayed.path("rule").asText()).isEqualTo("needs-coupon");
    assertThat(replayed.path("attempts").asInt()).isZero();
    assertThat(replayed.path("deliveryKey").asText())
        .isNotEqualTo(live.path("deliveryKey").asText());
    assertThat(replayed.path("event").path("id").asText()).isEqualTo(eventId);
    assertThat(replayed.path("event").path("replay-name").asText()).isEqualTo(name);
    JsonNode journey = get(herald, "/v1/events/" + eventId).body().path("deliveries");
    assertThat(journey.findValuesAsText("replay")).containsExactly(name);
  }

  @Test
  void refusesAWindowEndingBeforeItStarts() {
    var answer = start("{'name':'backwards','from':'" + end + "','to':'" + middle + "'}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().at("/error/field").asText()).isEqualTo("to");
  }

  @Test
  void refusesAWindowEndingInTheFuture() {
    var answer =
        start(
            "{'name':'future','from':'"
                + middle
                + "','to':'"
                + Instant.now().plus(Duration.ofHours(1))
                + "'}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().at("/error/field").asText()).isEqualTo("to");
    assertThat(answer.body().at("/error/message").asText()).contains("future");
  }

  @Test
  void refusesABadTime() {
    var answer = start("{'name':'bad-time','from':'yesterday','to':'" + end + "'}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().at("/error/field").asText()).isEqualTo("from");
  }

  @Test
  void refusesAnUnknownBus() {
    var answer = postJson(herald, "/v1/buses/no-such-bus-" + id + "/replays", window("x"));
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body().at("/error/code").asText()).isEqualTo("BusNotFound");
    assertThat(get(herald, "/v1/buses/no-such-bus-" + id + "/replays").status()).isEqualTo(404);
  }

  @Test
  void refusesABadName() {
    var answer = start(window("no spaces/or slashes"));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().at("/error/field").asText()).isEqualTo("name");
  }

  @Test
  void refusesAnUnknownRule() {
    var answer =
        start(
            "{'name':'rules-"
                + id
                + "','from':'"
                + middle
                + "','to':'"
                + end
                + "','rules':['"
                + rule
                + "','nope']}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().at("/error/code").asText()).isEqualTo("UnknownRule");
    assertThat(answer.body().at("/error/field").asText()).isEqualTo("rules[1]");
    assertThat(get(herald, "/v1/buses/" + bus + "/replays/rules-" + id).status()).isEqualTo(404);
  }

  @Test
  void answersNotFoundForAnUnknownReplay() {
    var answer = get(herald, "/v1/buses/" + bus + "/replays/never-" + id);
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body().at("/error/code").asText()).isEqualTo("ReplayNotFound");
    assertThat(delete(herald, "/v1/buses/" + bus + "/replays/never-" + id).status()).isEqualTo(404);
  }
}
