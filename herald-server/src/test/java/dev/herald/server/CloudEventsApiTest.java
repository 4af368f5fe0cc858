package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.put;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /v1/cloudevents} against a real embedded Herald: the three modes of the CloudEvents
 * 1.0 HTTP binding, the mapping to the native event, client-id dedupe, per-event results of a
 * batch, every refusal naming the attribute, and a webhook receiving CloudEvents in binary mode.
 */
class CloudEventsApiTest {
  private final Herald herald = TestHerald.shared();
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  private HttpRequest.Builder request(String query) {
    return HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + herald.port() + "/v1/cloudevents" + query));
  }

  private TestHerald.Answer structured(String event) {
    return TestHerald.send(
        request("")
            .header("Content-Type", "application/cloudevents+json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(event.replace('\'', '"')))
            .build());
  }

  private TestHerald.Answer batch(String events) {
    return TestHerald.send(
        request("")
            .header("Content-Type", "application/cloudevents-batch+json")
            .POST(HttpRequest.BodyPublishers.ofString(events.replace('\'', '"')))
            .build());
  }

  /** A binary-mode request with the four required headers, less those named in {@code omit}. */
  private HttpRequest.Builder binary(String id, String omit) {
    HttpRequest.Builder request = request("").header("Content-Type", "application/json");
    if (!omit.equals("specversion")) {
      request.header("ce-specversion", "1.0");
    }
    if (!omit.equals("id")) {
      request.header("ce-id", id);
    }
    if (!omit.equals("source")) {
      request.header("ce-source", "ce.test");
    }
    if (!omit.equals("type")) {
      request.header("ce-type", "OrderPlaced");
    }
    return request;
  }

  private JsonNode event(String eventId) {
    var read = get(herald, "/v1/events/" + eventId);
    assertThat(read.status()).isEqualTo(200);
    return read.body().get("event");
  }

  private static String eventId(TestHerald.Answer answer) {
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
    assertThat(answer.body().get("failedEntryCount").asInt()).isZero();
    return answer.body().at("/entries/0/eventId").asText();
  }

  private static void assertRefused(TestHerald.Answer answer, int status, String code, String f) {
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(status);
    assertThat(answer.body().at("/error/code").asText()).isEqualTo(code);
    assertThat(answer.body().at("/error/field").asText()).isEqualTo(f);
    assertThat(answer.body().at("/error/message").asText()).isNotBlank();
  }

  @Test
  void binaryModeMapsHeadersAndBodyToTheNativeEvent() {
    var answer =
        TestHerald.send(
            binary("b-" + run, "")
                .header("ce-subject", "o-1")
                .header("ce-time", "2026-11-26T10:00:00Z")
                .header("ce-dataschema", "https://example.com/order.json")
                .setHeader("ce-source", "shop/orders%20eu") // percent-encoded space
                .POST(HttpRequest.BodyPublishers.ofString("{\"orderId\":\"o-1\",\"total\":42.5}"))
                .build());
    JsonNode event = event(eventId(answer));
    assertThat(event.get("bus").asText()).isEqualTo("default");
    assertThat(event.get("source").asText()).isEqualTo("shop/orders eu");
    assertThat(event.get("detailType").asText()).isEqualTo("OrderPlaced");
    assertThat(event.get("orderingKey").asText()).isEqualTo("o-1");
    assertThat(event.get("time").asText()).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(event.at("/detail/total").decimalValue()).isEqualByComparingTo("42.5");
  }

  @Test
  void structuredModeMapsTheEventAndAnEventWithoutDataHasAnEmptyDetail() {
    JsonNode full =
        event(
            eventId(
                structured(
                    "{'specversion':'1.0','id':'s-"
                        + run
                        + "','source':'ce.test','type':'OrderPlaced','subject':'o-2',"
                        + "'datacontenttype':'application/json','data':{'orderId':'o-2'},"
                        + "'myextension':'ignored'}")));
    assertThat(full.get("detailType").asText()).isEqualTo("OrderPlaced");
    assertThat(full.get("orderingKey").asText()).isEqualTo("o-2");
    assertThat(full.at("/detail/orderId").asText()).isEqualTo("o-2");
    JsonNode empty =
        event(
            eventId(
                structured(
                    "{'specversion':'1.0','id':'e-"
                        + run
                        + "','source':'ce.test','type':'Ping'}")));
    assertThat(empty.get("detail")).isEqualTo(Json.object());
  }

  @Test
  void theCloudEventIdIsTheClientIdDeduplicatedAcrossModes() {
    String id = "dup-" + run;
    String first =
        eventId(
            structured(
                "{'specversion':'1.0','id':'"
                    + id
                    + "','source':'ce.test','type':'OrderPlaced','data':{}}"));
    String again =
        eventId(
            TestHerald.send(
                binary(id, "").POST(HttpRequest.BodyPublishers.ofString("{}")).build()));
    var inBatch =
        batch(
            "[{'specversion':'1.0','id':'"
                + id
                + "','source':'ce.test','type':'OrderPlaced'},"
                + "{'specversion':'1.0','id':'"
                + id
                + "-2','source':'ce.test','type':'OrderPlaced'}]");
    assertThat(again).isEqualTo(first);
    assertThat(inBatch.body().at("/entries/0/eventId").asText()).isEqualTo(first);
    assertThat(inBatch.body().at("/entries/1/eventId").asText()).isNotEqualTo(first);
  }

  @Test
  void aBatchAnswersPerEventInOrderAndStoresTheValidOnes() {
    var answer =
        batch(
            "["
                + "{'specversion':'1.0','id':'a-"
                + run
                + "','source':'ce.a','type':'T','data':{'k':1}},"
                + "{'id':'x1','source':'ce.a','type':'T'},"
                + "{'specversion':'1.0','source':'ce.a','type':'T'},"
                + "{'specversion':'1.0','id':'x3','type':'T'},"
                + "{'specversion':'1.0','id':'x4','source':'ce.a'},"
                + "{'specversion':'0.3','id':'x5','source':'ce.a','type':'T'},"
                + "{'specversion':'1.0','id':'x6','source':'ce.a','type':'T','data':'text'},"
                + "{'specversion':'1.0','id':'x7','source':'ce.a','type':'T','time':'yesterday'},"
                + "{'specversion':'1.0','id':'x8','source':'ce.a','type':'T',"
                + "'datacontenttype':'text/plain','data':'hi'},"
                + "{'specversion':'1.0','id':'x9','source':'ce.a','type':'T','data_base64':'aGk='},"
                + "{'specversion':'1.0','id':'b-"
                + run
                + "','source':'ce.b','type':'T','data':{'k':2}}"
                + "]");
    assertThat(answer.status()).isEqualTo(200);
    JsonNode entries = answer.body().get("entries");
    assertThat(entries).hasSize(11);
    assertThat(answer.body().get("failedEntryCount").asInt()).isEqualTo(9);
    assertEntryError(entries.get(1), "MissingField", "specversion");
    assertEntryError(entries.get(2), "MissingField", "id");
    assertEntryError(entries.get(3), "MissingField", "source");
    assertEntryError(entries.get(4), "MissingField", "type");
    assertEntryError(entries.get(5), "InvalidField", "specversion");
    assertEntryError(entries.get(6), "InvalidField", "data");
    assertEntryError(entries.get(7), "InvalidField", "time"); // the native validator's, renamed
    assertEntryError(entries.get(8), "InvalidField", "datacontenttype");
    assertEntryError(entries.get(9), "InvalidField", "data_base64");
    assertThat(event(entries.get(0).get("eventId").asText()).get("source").asText())
        .isEqualTo("ce.a");
    assertThat(event(entries.get(10).get("eventId").asText()).get("source").asText())
        .isEqualTo("ce.b");
  }

  @Test
  void nativeValidationErrorsAreNamedAsCloudEventsAttributes() {
    String longType = "T".repeat(300);
    var answer =
        batch(
            "[{'specversion':'1.0','id':'l-"
                + run
                + "','source':'ce.a','type':'"
                + longType
                + "'},{'specversion':'1.0','id':'l2-"
                + run
                + "','source':'ce.a','type':'T','subject':''}]");
    assertEntryError(answer.body().at("/entries/0"), "InvalidField", "type");
    assertThat(answer.body().at("/entries/0/errorMessage").asText()).startsWith("type ");
    assertEntryError(answer.body().at("/entries/1"), "InvalidField", "subject");
    var binaryLong =
        TestHerald.send(
            binary("l3-" + run, "")
                .setHeader("ce-type", longType)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    assertRefused(binaryLong, 400, "InvalidField", "ce-type");
  }

  @ParameterizedTest
  @ValueSource(strings = {"specversion", "id", "source", "type"})
  void aSingleEventMissingARequiredAttributeIsRefusedNamingIt(String attribute) {
    var binaryAnswer =
        TestHerald.send(
            binary("m-" + run, attribute).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertRefused(binaryAnswer, 400, "MissingField", "ce-" + attribute);
    String event =
        "{'specversion':'1.0','id':'m-" + run + "','source':'ce.test','type':'T','data':{}}";
    String without = event.replaceFirst("'" + attribute + "':'[^']*',", "");
    assertThat(without).isNotEqualTo(event);
    assertRefused(structured(without), 400, "MissingField", attribute);
  }

  @Test
  void anUnsupportedSpecVersionIsRefused() {
    var answer =
        TestHerald.send(
            binary("v-" + run, "")
                .setHeader("ce-specversion", "0.3")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    assertRefused(answer, 400, "InvalidField", "ce-specversion");
    assertThat(answer.body().at("/error/message").asText()).contains("0.3").contains("1.0");
  }

  @Test
  void dataThatIsNotAJsonObjectIsRefused() {
    var array =
        TestHerald.send(
            binary("d-" + run, "").POST(HttpRequest.BodyPublishers.ofString("[1,2]")).build());
    assertRefused(array, 400, "InvalidField", "data");
    var malformed =
        TestHerald.send(
            binary("d2-" + run, "").POST(HttpRequest.BodyPublishers.ofString("{oops")).build());
    assertRefused(malformed, 400, "InvalidJson", "");
    var string =
        structured(
            "{'specversion':'1.0','id':'d3-" + run + "','source':'s','type':'T','data':'text'}");
    assertRefused(string, 400, "InvalidField", "data");
  }

  @Test
  void wrongContentTypesAreRefusedWith415() {
    var xml =
        TestHerald.send(
            binary("c-" + run, "")
                .setHeader("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<order/>"))
                .build());
    assertRefused(xml, 415, "UnsupportedMediaType", "Content-Type");
    var octets =
        TestHerald.send(
            request("")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    assertRefused(octets, 415, "UnsupportedMediaType", "Content-Type");
    // JSON without any ce-* header: a binary-mode event missing its specversion
    var plainJson =
        TestHerald.send(
            request("")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    assertRefused(plainJson, 400, "MissingField", "ce-specversion");
  }

  @Test
  void badBatchesAreRefusedAsAWhole() {
    assertRefused(batch("{}"), 400, "InvalidRequest", "");
    assertRefused(batch("[]"), 400, "InvalidRequest", "");
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 1001; i++) {
      many.append(i == 0 ? "" : ",").append("{}");
    }
    assertRefused(batch(many.append(']').toString()), 413, "TooManyEntries", "");
    assertRefused(structured("[]"), 400, "InvalidRequest", "");
  }

  @Test
  void theBusIsTheQueryParameter() {
    String bus = "ce-" + run;
    assertThat(put(herald, "/v1/buses/" + bus, "{}").status()).isEqualTo(200);
    var stored =
        TestHerald.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + herald.port() + "/v1/cloudevents?bus=" + bus))
                .header("Content-Type", "application/cloudevents+json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"specversion\":\"1.0\",\"id\":\"q\",\"source\":\"s\",\"type\":\"T\"}"))
                .build());
    assertThat(event(eventId(stored)).get("bus").asText()).isEqualTo(bus);
    var unknown =
        TestHerald.send(
            binary("u-" + run, "")
                .uri(
                    URI.create(
                        "http://127.0.0.1:" + herald.port() + "/v1/cloudevents?bus=nope-" + run))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    assertRefused(unknown, 400, "UnknownBus", "bus");
    var invalid =
        TestHerald.send(
            binary("u-" + run, "")
                .uri(URI.create("http://127.0.0.1:" + herald.port() + "/v1/cloudevents?bus=a%20b"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    assertRefused(invalid, 400, "InvalidField", "bus");
  }

  @Test
  void anEventOverOneMebibyteIs413() {
    String big = "x".repeat(1024 * 1024);
    var answer =
        TestHerald.send(
            binary("big-" + run, "")
                .POST(HttpRequest.BodyPublishers.ofString("{\"big\":\"" + big + "\"}"))
                .build());
    assertRefused(answer, 413, "EntryTooLarge", "data");
  }

  @Test
  void refusedEventsCountInTheIngestRejectionMetric() {
    String series = "herald_ingest_entries_rejected_total{bus=\"default\",code=\"MissingField\"";
    double before = metric(series);
    batch("[{'id':'x','source':'s','type':'T'},{'specversion':'1.0','source':'s','type':'T'}]");
    assertThat(metric(series)).isEqualTo(before + 2);
  }

  private double metric(String prefix) {
    String text = new String(get(herald, "/metrics").raw().body(), UTF_8);
    return text.lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void aWebhookTargetReceivesTheEventAsABinaryCloudEvent() {
    try (Receiver receiver = new Receiver(() -> 204)) {
      String name = "ce-hook-" + run;
      var target =
          put(
              herald,
              "/v1/targets/" + name,
              "{'type':'webhook','webhook':{'url':'"
                  + receiver.url()
                  + "','format':'cloudevents-binary'}}");
      assertThat(target.status()).as(String.valueOf(target.body())).isEqualTo(200);
      var rule =
          put(
              herald,
              "/v1/buses/default/rules/" + name,
              "{'pattern':{'source':['" + name + "']},'targets':[{'target':'" + name + "'}]}");
      assertThat(rule.status()).as(String.valueOf(rule.body())).isEqualTo(200);
      String eventId =
          eventId(
              TestHerald.send(
                  binary("w-" + run, "")
                      .setHeader("ce-source", name)
                      .setHeader("ce-type", "Order placed")
                      .POST(HttpRequest.BodyPublishers.ofString("{\"orderId\":\"o-9\"}"))
                      .build()));
      await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.calls.isEmpty());
      Receiver.Call call = receiver.calls.getFirst();
      assertThat(call.header("ce-specversion")).isEqualTo("1.0");
      assertThat(call.header("ce-id")).isEqualTo(eventId);
      assertThat(call.header("ce-source")).isEqualTo(name);
      assertThat(call.header("ce-type")).isEqualTo("Order%20placed");
      assertThat(call.header("ce-heraldrule")).isEqualTo(name);
      assertThat(call.header("Content-Type")).isEqualTo("application/json");
      assertThat(call.body()).isEqualTo("{\"orderId\":\"o-9\"}");
    }
  }

  private static void assertEntryError(JsonNode entry, String code, String field) {
    assertThat(entry.has("eventId")).as(entry.toString()).isFalse();
    assertThat(entry.get("errorCode").asText()).as(entry.toString()).isEqualTo(code);
    assertThat(entry.get("field").asText()).as(entry.toString()).isEqualTo(field);
    assertThat(entry.get("errorMessage").asText()).isNotBlank();
  }
}
