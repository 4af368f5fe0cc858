package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Queue targets through HTTP against a real Herald: events routed by a rule to a queue are
 * received, acked, nacked, hidden and dead-lettered with SQS semantics; receipt handles are signed
 * and bound to one receive.
 */
class QueueApiTest {
  private static final Duration LONG = Duration.ofSeconds(60);

  private final Herald herald = TestHerald.shared();
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  /** A queue target with these retry attempts, and a rule sending source {@code name} to it. */
  private String queue(String prefix, int maxAttempts) {
    String name = prefix + "-" + id;
    var target =
        put(
            herald,
            "/v1/targets/" + name,
            "{'type':'queue','queue':{'visibilitySeconds':30},'retry':{'maxAttempts':"
                + maxAttempts
                + "}}");
    assertThat(target.status()).as(String.valueOf(target.body())).isEqualTo(200);
    var rule =
        put(
            herald,
            "/v1/buses/default/rules/" + name,
            "{'pattern':{'source':['" + name + "']},'targets':[{'target':'" + name + "'}]}");
    assertThat(rule.status()).as(String.valueOf(rule.body())).isEqualTo(200);
    return name;
  }

  private List<String> publish(String source, int count) {
    StringBuilder entries = new StringBuilder("{'entries':[");
    for (int i = 0; i < count; i++) {
      entries
          .append(i == 0 ? "" : ",")
          .append("{'source':'" + source + "','detailType':'Job','detail':{'n':" + i + "}}");
    }
    JsonNode answer = postJson(herald, entries + "]}").body();
    assertThat(answer.get("failedEntryCount").asInt()).as(answer.toString()).isZero();
    List<String> ids = new ArrayList<>();
    answer.get("entries").forEach(e -> ids.add(e.get("eventId").asText()));
    return ids;
  }

  private TestHerald.Answer call(String queue, String action, String json) {
    return postJson(herald, "/v1/queues/" + queue + "/" + action, json);
  }

  private JsonNode receive(String queue, String json) {
    TestHerald.Answer answer = call(queue, "receive", json);
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
    return answer.body().get("messages");
  }

  /** Long-polls until a message arrives; fails after a minute. */
  private JsonNode receiveOne(String queue, int visibilitySeconds) {
    List<JsonNode> got = new ArrayList<>();
    await()
        .atMost(LONG)
        .until(
            () -> {
              receive(queue, "{'waitSeconds':5,'visibilitySeconds':" + visibilitySeconds + "}")
                  .forEach(got::add);
              return !got.isEmpty();
            });
    assertThat(got).hasSize(1);
    return got.getFirst();
  }

  private JsonNode ack(String queue, String... handles) {
    TestHerald.Answer answer = call(queue, "ack", "{'receiptHandles':" + handles(handles) + "}");
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
    return answer.body();
  }

  private static String handles(String... handles) {
    return "['" + String.join("','", handles) + "']";
  }

  private JsonNode depth(String queue) {
    return get(herald, "/v1/queues/" + queue).body();
  }

  private static String handle(JsonNode message) {
    return message.get("receiptHandle").asText();
  }

  @Test
  void anEventRoutedToAQueueIsReceivedWithItsEnvelopeAndAnAckRemovesIt() {
    String queue = queue("jobs", 5);
    String eventId = publish(queue, 1).getFirst();

    JsonNode message = receiveOne(queue, 30);

    assertThat(message.get("receiveCount").asInt()).isEqualTo(1);
    assertThat(message.get("eventId").asText()).isEqualTo(eventId);
    assertThat(message.get("rule").asText()).isEqualTo(queue);
    assertThat(message.get("deliveryKey").asText()).isNotBlank();
    assertThat(message.at("/event/id").asText()).isEqualTo(eventId);
    assertThat(message.at("/event/detail-type").asText()).isEqualTo("Job");
    assertThat(message.at("/event/source").asText()).isEqualTo(queue);
    assertThat(message.at("/event/detail/n").asInt()).isZero();
    assertThat(depth(queue).get("inFlight").asInt()).isEqualTo(1);

    JsonNode acked = ack(queue, handle(message));

    assertThat(acked.get("acked").asInt()).isEqualTo(1);
    assertThat(acked.get("failed")).isEmpty();
    assertThat(depth(queue).get("visible").asInt()).isZero();
    assertThat(depth(queue).get("inFlight").asInt()).isZero();
    assertThat(receive(queue, "{'waitSeconds':1}")).isEmpty();
    assertThat(ack(queue, handle(message)).at("/failed/0/code").asText())
        .isEqualTo("ReceiptHandleExpired");
  }

  @Test
  void aMessageNotAckedIsReceivedAgainAfterItsVisibilityAndTheFirstHandleIsThenExpired() {
    String queue = queue("again", 5);
    publish(queue, 1);
    JsonNode first = receiveOne(queue, 1);

    JsonNode second = receiveOne(queue, 30);

    assertThat(second.get("messageId").asText()).isEqualTo(first.get("messageId").asText());
    assertThat(second.get("receiveCount").asInt()).isEqualTo(2);
    assertThat(handle(second)).isNotEqualTo(handle(first));
    JsonNode acked = ack(queue, handle(first), handle(second));
    assertThat(acked.get("acked").asInt()).isEqualTo(1);
    assertThat(acked.get("failed")).hasSize(1);
    assertThat(acked.at("/failed/0/receiptHandle").asText()).isEqualTo(handle(first));
    assertThat(acked.at("/failed/0/code").asText()).isEqualTo("ReceiptHandleExpired");
  }

  @Test
  void aHandleWhoseVisibilityRanOutIsExpired() {
    String queue = queue("expired", 5);
    publish(queue, 1);
    JsonNode message = receiveOne(queue, 1);

    await().atMost(LONG).until(() -> depth(queue).get("visible").asInt() == 1);

    assertThat(ack(queue, handle(message)).at("/failed/0/code").asText())
        .isEqualTo("ReceiptHandleExpired");
    var changed =
        call(
            queue,
            "visibility",
            "{'receiptHandle':'" + handle(message) + "','visibilitySeconds':60}");
    assertThat(changed.status()).isEqualTo(400);
    assertThat(changed.body().at("/error/code").asText()).isEqualTo("ReceiptHandleExpired");
    assertThat(changed.body().at("/error/field").asText()).isEqualTo("receiptHandle");
  }

  @Test
  void aNackedMessageComesBackAfterItsDelay() {
    String queue = queue("nacked", 5);
    publish(queue, 1);
    JsonNode message = receiveOne(queue, 30);

    var nacked =
        call(queue, "nack", "{'receiptHandles':" + handles(handle(message)) + ",'delaySeconds':1}");

    assertThat(nacked.status()).as(String.valueOf(nacked.body())).isEqualTo(200);
    assertThat(nacked.body().get("nacked").asInt()).isEqualTo(1);
    JsonNode again = receiveOne(queue, 30);
    assertThat(again.get("receiveCount").asInt()).isEqualTo(2);
    assertThat(ack(queue, handle(message)).at("/failed/0/code").asText())
        .as("a nack ends the lease")
        .isEqualTo("ReceiptHandleExpired");
    assertThat(ack(queue, handle(again)).get("acked").asInt()).isEqualTo(1);
  }

  @Test
  void changingVisibilityExtendsTheLeaseAndZeroReleasesTheMessage() throws Exception {
    String queue = queue("extend", 5);
    publish(queue, 1);
    JsonNode message = receiveOne(queue, 1);

    var extended =
        call(
            queue,
            "visibility",
            "{'receiptHandle':'" + handle(message) + "','visibilitySeconds':60}");
    assertThat(extended.status()).as(String.valueOf(extended.body())).isEqualTo(200);
    Thread.sleep(1_500); // past the first visibility: still hidden, still held
    assertThat(receive(queue, "{}")).isEmpty();
    var released =
        call(
            queue,
            "visibility",
            "{'receiptHandle':'" + handle(message) + "','visibilitySeconds':0}");
    assertThat(released.status()).as(String.valueOf(released.body())).isEqualTo(200);

    JsonNode again = receive(queue, "{}").get(0);
    assertThat(again.get("receiveCount").asInt()).isEqualTo(2);
    assertThat(ack(queue, handle(again)).get("acked").asInt()).isEqualTo(1);
  }

  @Test
  void aMessageReceivedMaxAttemptsTimesBecomesADeadLetterThatARedriveQueuesAgain() {
    String queue = queue("dead", 2);
    String eventId = publish(queue, 1).getFirst();
    assertThat(receiveOne(queue, 1).get("receiveCount").asInt()).isEqualTo(1);
    assertThat(receiveOne(queue, 1).get("receiveCount").asInt()).isEqualTo(2);

    await()
        .atMost(LONG)
        .until(
            () -> {
              receive(queue, "{'waitSeconds':1}"); // the receive that moves it
              return get(herald, "/v1/targets/" + queue + "/dlq").body().get("entries").size() == 1;
            });

    JsonNode letter = get(herald, "/v1/targets/" + queue + "/dlq").body().at("/entries/0");
    assertThat(letter.at("/error/code").asText()).isEqualTo("MaxReceivesExceeded");
    assertThat(letter.get("attempts").asInt()).isEqualTo(2);
    assertThat(letter.at("/event/id").asText()).isEqualTo(eventId);
    assertThat(depth(queue).get("visible").asInt()).isZero();

    var redriven =
        postJson(
            herald,
            "/v1/targets/" + queue + "/dlq/redrive",
            "{'ids':['" + letter.get("id").asText() + "']}");
    assertThat(redriven.body().get("redriven").asInt()).isEqualTo(1);
    JsonNode back = receiveOne(queue, 30);
    assertThat(back.get("receiveCount").asInt()).isEqualTo(1);
    assertThat(back.at("/event/id").asText()).isEqualTo(eventId);
  }

  @Test
  void aShapedInputIsReceivedAsShapedAndDeadLettersWithTheFullEnvelope() {
    String queue = queue("shaped", 1);
    put(
        herald,
        "/v1/buses/default/rules/" + queue,
        "{'pattern':{'source':['"
            + queue
            + "']},'targets':[{'target':'"
            + queue
            + "','inputPath':'$.detail'}]}");
    String eventId = publish(queue, 1).getFirst();

    JsonNode message = receiveOne(queue, 1);
    assertThat(message.get("event").toString()).isEqualTo("{\"n\":0}");

    await()
        .atMost(LONG)
        .until(
            () -> {
              receive(queue, "{'waitSeconds':1}");
              return get(herald, "/v1/targets/" + queue + "/dlq").body().get("entries").size() == 1;
            });
    JsonNode letter = get(herald, "/v1/targets/" + queue + "/dlq").body().at("/entries/0");
    assertThat(letter.at("/event/id").asText()).isEqualTo(eventId);
    assertThat(letter.at("/event/detail/n").asInt()).isZero();
  }

  @Test
  void forgedAlteredAndForeignHandlesAreInvalidWhileTheValidOneOfTheBatchIsAcked() {
    String queue = queue("forged", 5);
    String other = queue("forged-other", 5);
    publish(queue, 1);
    publish(other, 1);
    JsonNode message = receiveOne(queue, 30);
    JsonNode foreign = receiveOne(other, 30);
    String valid = handle(message);
    int at = valid.length() - 10; // inside the signature
    String altered =
        valid.substring(0, at) + (valid.charAt(at) == 'A' ? 'B' : 'A') + valid.substring(at + 1);

    JsonNode answer = ack(queue, "not-a-handle", altered, handle(foreign), valid);

    assertThat(answer.get("acked").asInt()).isEqualTo(1);
    assertThat(answer.get("failed")).hasSize(3);
    answer
        .get("failed")
        .forEach(f -> assertThat(f.get("code").asText()).isEqualTo("InvalidReceiptHandle"));
    assertThat(answer.at("/failed/0/receiptHandle").asText()).isEqualTo("not-a-handle");
    assertThat(ack(other, handle(foreign)).get("acked").asInt()).isEqualTo(1);
  }

  @Test
  void aLongPollReturnsWithTheMessageOfAnEventPublishedWhileItWaits() throws Exception {
    String queue = queue("long", 5);
    assertThat(receive(queue, "{}")).isEmpty();
    CompletableFuture<JsonNode> poll =
        CompletableFuture.supplyAsync(
            () -> receive(queue, "{'waitSeconds':20}"),
            Executors.newVirtualThreadPerTaskExecutor());
    Thread.sleep(200); // let the poll start waiting

    String eventId = publish(queue, 1).getFirst();

    JsonNode messages = poll.get(30, TimeUnit.SECONDS);
    if (messages.isEmpty()) { // routing took longer than the poll's wait on a busy machine
      messages = receive(queue, "{'waitSeconds':20}");
    }
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).at("/event/id").asText()).isEqualTo(eventId);
  }

  @Test
  void eightConcurrentConsumersReceiveEveryMessageOnceAndLoseNone() throws Exception {
    String queue = queue("crowd", 5);
    Set<String> published = new HashSet<>(publish(queue, 60));
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<String> received = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Callable<Void>> consumers = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      consumers.add(
          () -> {
            long until = System.nanoTime() + LONG.toNanos();
            while (seen.size() < published.size() && System.nanoTime() < until) {
              JsonNode batch = receive(queue, "{'max':4,'waitSeconds':1,'visibilitySeconds':120}");
              List<String> handles = new ArrayList<>();
              for (JsonNode m : batch) {
                received.add(m.get("messageId").asText());
                seen.add(m.get("eventId").asText());
                handles.add(handle(m));
              }
              if (!handles.isEmpty()) {
                assertThat(ack(queue, handles.toArray(String[]::new)).get("acked").asInt())
                    .isEqualTo(handles.size());
              }
            }
            return null;
          });
    }

    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<Void> f : threads.invokeAll(consumers)) {
        f.get();
      }
    }

    assertThat(received).hasSize(60).doesNotHaveDuplicates();
    assertThat(seen).isEqualTo(published);
  }

  @Test
  void aTargetThatIsMissingOrNotAQueueIsQueueNotFound() {
    put(herald, "/v1/targets/log-" + id, "{'type':'log'}");
    for (String name : new String[] {"missing-" + id, "log-" + id}) {
      var answer = call(name, "receive", "{}");
      assertThat(answer.status()).isEqualTo(404);
      assertThat(answer.body().at("/error/code").asText()).isEqualTo("QueueNotFound");
      assertThat(get(herald, "/v1/queues/" + name).status()).isEqualTo(404);
    }
  }

  @Test
  void badBodiesAreRefusedNamingTheField() {
    String queue = queue("bad", 5);
    String[][] cases = {
      {"receive", "{'max':0}", "max"},
      {"receive", "{'max':101}", "max"},
      {"receive", "{'waitSeconds':21}", "waitSeconds"},
      {"receive", "{'visibilitySeconds':0}", "visibilitySeconds"},
      {"receive", "{'visibilitySeconds':43201}", "visibilitySeconds"},
      {"receive", "{'maximum':1}", "maximum"},
      {"ack", "{}", "receiptHandles"},
      {"ack", "{'receiptHandles':[]}", "receiptHandles"},
      {"ack", "{'receiptHandles':['a','b',3]}", "receiptHandles[2]"},
      {"nack", "{'receiptHandles':['a'],'delaySeconds':-1}", "delaySeconds"},
      {"visibility", "{'visibilitySeconds':5}", "receiptHandle"},
      {"visibility", "{'receiptHandle':'a'}", "visibilitySeconds"},
    };
    for (String[] c : cases) {
      var answer = call(queue, c[0], c[1]);
      assertThat(answer.status()).as(c[0] + " " + c[1] + " " + answer.body()).isEqualTo(400);
      assertThat(answer.body().at("/error/field").asText()).as(c[1]).isEqualTo(c[2]);
    }
    var bad =
        put(
            herald,
            "/v1/targets/bad-visibility-" + id,
            "{'type':'queue','queue':{'visibilitySeconds':0}}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().at("/error/field").asText()).isEqualTo("queue.visibilitySeconds");
  }

  @Test
  void aQueuesDepthShowsVisibleAndInFlightMessages() {
    String queue = queue("depth", 5);
    publish(queue, 3);
    await().atMost(LONG).until(() -> depth(queue).get("visible").asInt() == 3);

    receive(queue, "{'max':2}");

    JsonNode depth = depth(queue);
    assertThat(depth.get("visible").asInt()).isEqualTo(1);
    assertThat(depth.get("inFlight").asInt()).isEqualTo(2);
    assertThat(depth.get("visibilitySeconds").asInt()).isEqualTo(30);
    assertThat(depth.get("maxReceives").asInt()).isEqualTo(5);
  }

  @Test
  void aReceiveAfterAPutThatChangesVisibilityAndMaxAttemptsUsesTheNewValues() {
    String queue = queue("changed", 5);
    String eventId = publish(queue, 1).getFirst();
    assertThat(receiveOne(queue, 1).get("receiveCount").asInt()).isEqualTo(1);
    assertThat(depth(queue).get("visibilitySeconds").asInt()).isEqualTo(30);

    var changed =
        put(
            herald,
            "/v1/targets/" + queue,
            "{'type':'queue','queue':{'visibilitySeconds':1},'retry':{'maxAttempts':2}}");
    assertThat(changed.status()).as(String.valueOf(changed.body())).isEqualTo(200);

    JsonNode depth = depth(queue);
    assertThat(depth.get("visibilitySeconds").asInt()).isEqualTo(1);
    assertThat(depth.get("maxReceives").asInt()).isEqualTo(2);
    List<JsonNode> second = new ArrayList<>();
    await()
        .atMost(LONG)
        .until(
            () -> {
              receive(queue, "{'waitSeconds':5}").forEach(second::add);
              return !second.isEmpty();
            });
    assertThat(second.getFirst().get("receiveCount").asInt()).isEqualTo(2);
    // hidden for the new default of 1 s (not 30), then the receive after it dead-letters the
    // message: it was received the new maxAttempts (2) times
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              assertThat(receive(queue, "{'waitSeconds':1}")).isEmpty();
              return get(herald, "/v1/targets/" + queue + "/dlq").body().get("entries").size() == 1;
            });
    JsonNode letter = get(herald, "/v1/targets/" + queue + "/dlq").body().at("/entries/0");
    assertThat(letter.get("attempts").asInt()).isEqualTo(2);
    assertThat(letter.at("/event/id").asText()).isEqualTo(eventId);
  }

  @Test
  void aQueueTargetReplacedByAnotherTypeOrDeletedIsQueueNotFoundAtOnce() {
    String replaced = queue("replaced", 5);
    String deleted = queue("deleted", 5);
    for (String queue : List.of(replaced, deleted)) {
      assertThat(call(queue, "receive", "{}").status()).isEqualTo(200);
    }

    assertThat(put(herald, "/v1/targets/" + replaced, "{'type':'log'}").status()).isEqualTo(200);
    assertThat(TestHerald.delete(herald, "/v1/buses/default/rules/" + deleted).status())
        .isEqualTo(204);
    assertThat(TestHerald.delete(herald, "/v1/targets/" + deleted).status()).isEqualTo(204);

    for (String queue : List.of(replaced, deleted)) {
      var answer = call(queue, "receive", "{}");
      assertThat(answer.status()).as(queue).isEqualTo(404);
      assertThat(answer.body().at("/error/code").asText()).isEqualTo("QueueNotFound");
    }
  }
}
