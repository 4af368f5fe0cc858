package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.post;
import static dev.herald.server.TestHerald.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The publish and read-back contract of API.md, against a real embedded Herald. */
class PublishApiTest {
  private final Herald herald = TestHerald.shared();

  @Test
  void publishedEventReadsBackWithEveryField() {
    Instant before = Instant.now();
    var answer =
        postJson(
            herald,
            "{'entries':[{'source':'shop.orders','detailType':'OrderPlaced',"
                + "'detail':{'orderId':'o-1','total':42.5},'time':'2026-11-26T10:00:00Z',"
                + "'resources':['arn:order:o-1'],'orderingKey':'o-1'}]}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().get("failedEntryCount").asInt()).isZero();
    String id = answer.body().get("entries").get(0).get("eventId").asText();

    var read = get(herald, "/v1/events/" + id);
    assertThat(read.status()).isEqualTo(200);
    JsonNode event = read.body().get("event");
    assertThat(event.get("id").asText()).isEqualTo(id);
    assertThat(event.get("bus").asText()).isEqualTo("default");
    assertThat(event.get("source").asText()).isEqualTo("shop.orders");
    assertThat(event.get("detailType").asText()).isEqualTo("OrderPlaced");
    assertThat(event.get("time").asText()).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(Instant.parse(event.get("ingestedAt").asText()))
        .isAfterOrEqualTo(before.minusMillis(1));
    assertThat(event.get("resources")).hasSize(1);
    assertThat(event.get("detail").get("total").decimalValue()).isEqualByComparingTo("42.5");
    assertThat(event.get("orderingKey").asText()).isEqualTo("o-1");
    assertThat(read.body().get("deliveries").isArray()).isTrue();
    assertThat(read.body().get("deliveries")).isEmpty();
  }

  @Test
  void timeDefaultsToIngestionAndIdsSortByIngestion() {
    String first = publishOne("{'source':'s','detailType':'T','detail':{'n':1}}");
    String second = publishOne("{'source':'s','detailType':'T','detail':{'n':2}}");
    JsonNode event = get(herald, "/v1/events/" + first).body().get("event");
    assertThat(event.get("time").asText()).isEqualTo(event.get("ingestedAt").asText());
    assertThat(first.compareTo(second)).isNegative();
  }

  @Test
  void invalidNeighboursNeitherLoseNorDuplicateValidEntries() {
    var answer =
        postJson(
            herald,
            "{'entries':["
                + "{'source':'a','detailType':'T','detail':{'k':1}},"
                + "{'detailType':'T','detail':{}},"
                + "{'source':'b','detailType':'T','detail':{'k':2}},"
                + "{'source':'c','detailType':'T','detail':'not an object'},"
                + "{'bus':'nope','source':'d','detailType':'T','detail':{}},"
                + "{'source':'e','detailType':'T'}"
                + "]}");
    assertThat(answer.status()).isEqualTo(200);
    JsonNode entries = answer.body().get("entries");
    assertThat(answer.body().get("failedEntryCount").asInt()).isEqualTo(4);
    assertThat(entries).hasSize(6);
    assertEntryError(entries.get(1), "MissingField", "source");
    assertEntryError(entries.get(3), "InvalidField", "detail");
    assertEntryError(entries.get(4), "UnknownBus", "bus");
    assertEntryError(entries.get(5), "MissingField", "detail");
    String a = entries.get(0).get("eventId").asText();
    String b = entries.get(2).get("eventId").asText();
    assertThat(a).isNotEqualTo(b);
    assertThat(get(herald, "/v1/events/" + a).body().at("/event/source").asText()).isEqualTo("a");
    assertThat(get(herald, "/v1/events/" + b).body().at("/event/source").asText()).isEqualTo("b");
  }

  @Test
  void entryOverOneMebibyteIsRejectedAndItsNeighbourStored() {
    String big = "x".repeat(1024 * 1024);
    var answer =
        postJson(
            herald,
            "{'entries':[{'source':'s','detailType':'T','detail':{'big':'"
                + big
                + "'}},{'source':'s','detailType':'Small','detail':{}}]}");
    assertThat(answer.status()).isEqualTo(200);
    assertEntryError(answer.body().at("/entries/0"), "EntryTooLarge", "detail");
    String id = answer.body().at("/entries/1/eventId").asText();
    assertThat(get(herald, "/v1/events/" + id).status()).isEqualTo(200);
  }

  @Test
  void entryJustUnderTheLimitIsStoredAndReadsBack() {
    String payload = "y".repeat(1024 * 1024 - 200);
    String id = publishOne("{'source':'s','detailType':'Big','detail':{'p':'" + payload + "'}}");
    assertThat(get(herald, "/v1/events/" + id).body().at("/event/detail/p").asText())
        .hasSize(payload.length());
  }

  @Test
  void clientIdIsDeduplicatedAcrossRequestsAndWithinOne() {
    String clientId = "order-" + UUID.randomUUID();
    String entry = "{'source':'s','detailType':'T','detail':{},'id':'" + clientId + "'}";
    var first = postJson(herald, "{'entries':[" + entry + "," + entry + "]}");
    var again = postJson(herald, "{'entries':[" + entry + "]}");
    String id = first.body().at("/entries/0/eventId").asText();
    assertThat(first.body().at("/entries/1/eventId").asText()).isEqualTo(id);
    assertThat(again.body().at("/entries/0/eventId").asText()).isEqualTo(id);
    String other =
        publishOne("{'source':'s','detailType':'T','detail':{},'id':'" + clientId + "-2'}");
    assertThat(other).isNotEqualTo(id);
  }

  @Test
  void concurrentRequestsWithOneClientIdStoreOneEvent() throws Exception {
    String entry =
        "{'entries':[{'source':'s','detailType':'T','detail':{},'id':'"
            + UUID.randomUUID()
            + "'}]}";
    Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 20; i++) {
        executor.execute(
            () -> ids.add(postJson(herald, entry).body().at("/entries/0/eventId").asText()));
      }
    }
    assertThat(ids).hasSize(1);
  }

  @Test
  void aThousandEntriesAreAcceptedInOrder() {
    ObjectNode body = Json.object();
    ArrayNode entries = body.putArray("entries");
    for (int i = 0; i < 1000; i++) {
      entries
          .addObject()
          .put("source", "bulk")
          .put("detailType", "T")
          .putObject("detail")
          .put("i", i);
    }
    var answer =
        post(
            herald,
            "/v1/events",
            "application/json",
            body.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().get("failedEntryCount").asInt()).isZero();
    Set<String> ids = new HashSet<>();
    answer.body().get("entries").forEach(e -> ids.add(e.get("eventId").asText()));
    assertThat(ids).hasSize(1000);
    String last = answer.body().at("/entries/999/eventId").asText();
    assertThat(get(herald, "/v1/events/" + last).body().at("/event/detail/i").asInt())
        .isEqualTo(999);
  }

  private String publishOne(String entry) {
    var answer = postJson(herald, "{'entries':[" + entry + "]}");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().get("failedEntryCount").asInt()).as(answer.body().toString()).isZero();
    return answer.body().at("/entries/0/eventId").asText();
  }

  private static void assertEntryError(JsonNode entry, String code, String field) {
    assertThat(entry.has("eventId")).as(entry.toString()).isFalse();
    assertThat(entry.get("errorCode").asText()).isEqualTo(code);
    assertThat(entry.get("field").asText()).isEqualTo(field);
    assertThat(entry.get("errorMessage").asText()).isNotBlank();
  }
}
