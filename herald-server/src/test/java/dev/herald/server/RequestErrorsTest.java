package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.post;
import static dev.herald.server.TestHerald.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.EventId;
import dev.herald.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every request-level error answers the status and code of API.md, naming the field. */
class RequestErrorsTest {
  private final Herald herald = TestHerald.shared();

  @Test
  void malformedJsonIs400InvalidJsonSayingWhere() {
    var answer = postJson(herald, "{'entries': [");
    assertError(answer, 400, "InvalidJson", null);
    assertThat(answer.body().at("/error/message").asText()).contains("line 1");
  }

  @Test
  void entriesNotAnArrayIs400NamingEntries() {
    assertError(postJson(herald, "{'entries': {}}"), 400, "InvalidRequest", "entries");
    assertError(postJson(herald, "{}"), 400, "InvalidRequest", "entries");
    assertError(postJson(herald, "[]"), 400, "InvalidRequest", null);
  }

  @Test
  void emptyEntriesIs400() {
    assertError(postJson(herald, "{'entries': []}"), 400, "InvalidRequest", "entries");
  }

  @Test
  void unknownTopLevelFieldIs400NamingIt() {
    assertError(
        postJson(herald, "{'entries': [], 'Entries': []}"), 400, "InvalidRequest", "Entries");
  }

  @Test
  void overAThousandEntriesIs413() {
    ObjectNode body = Json.object();
    ArrayNode entries = body.putArray("entries");
    for (int i = 0; i < 1001; i++) {
      entries.addObject().put("source", "s").put("detailType", "T").putObject("detail");
    }
    var answer =
        post(
            herald,
            "/v1/events",
            "application/json",
            body.toString().getBytes(StandardCharsets.UTF_8));
    assertError(answer, 413, "TooManyEntries", "entries");
  }

  @Test
  void requestOverTenMebibytesIs413() {
    byte[] body = new byte[10 * 1024 * 1024 + 1];
    java.util.Arrays.fill(body, (byte) ' ');
    assertError(post(herald, "/v1/events", "application/json", body), 413, "RequestTooLarge", null);
  }

  @Test
  void wrongContentTypeIs415() {
    byte[] body = "{\"entries\":[]}".getBytes(StandardCharsets.UTF_8);
    assertError(
        post(herald, "/v1/events", "text/plain", body),
        415,
        "UnsupportedMediaType",
        "Content-Type");
    assertError(
        post(herald, "/v1/events", null, body), 415, "UnsupportedMediaType", "Content-Type");
    assertError(
        post(herald, "/v1/events", "application/xml", body),
        415,
        "UnsupportedMediaType",
        "Content-Type");
  }

  @Test
  void aCrossSitePageCannotActOnABodilessEndpoint() {
    // a form post (CORS-simple type) and a bodiless fetch from another origin: neither acts
    assertError(
        post(herald, "/v1/targets/none/resume", "application/x-www-form-urlencoded", new byte[0]),
        415,
        "UnsupportedMediaType",
        "Content-Type");
    var fromElsewhere =
        TestHerald.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        "http://127.0.0.1:" + herald.port() + "/v1/targets/none/resume"))
                .header("Origin", "https://attacker.example")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());
    assertError(fromElsewhere, 403, "CrossOriginForbidden", "Origin");
    // a text/plain POST cannot drain a queue
    assertError(
        post(
            herald, "/v1/queues/none/receive", "text/plain", "{}".getBytes(StandardCharsets.UTF_8)),
        415,
        "UnsupportedMediaType",
        "Content-Type");
  }

  @Test
  void unknownPathIs404WithAnErrorObject() {
    assertError(get(herald, "/v1/nothing-here"), 404, "NotFound", null);
    assertError(post(herald, "/v2/events", "application/json", new byte[0]), 404, "NotFound", null);
  }

  @Test
  void unknownEventIdIs404AndMalformedIdIs400() {
    String unknown = new EventId(System.currentTimeMillis(), 0, 0, 999_999_999L).toString();
    assertError(get(herald, "/v1/events/" + unknown), 404, "EventNotFound", null);
    String otherBus = new EventId(System.currentTimeMillis(), 999, 0, 0).toString();
    assertError(get(herald, "/v1/events/" + otherBus), 404, "EventNotFound", null);
    assertError(get(herald, "/v1/events/not-an-id"), 400, "InvalidField", "id");
  }

  @Test
  void anIdWhoseTimeDoesNotMatchItsRecordIsNotFound() {
    var answer = postJson(herald, "{'entries':[{'source':'s','detailType':'T','detail':{}}]}");
    EventId id = EventId.parse(answer.body().at("/entries/0/eventId").asText()).orElseThrow();
    EventId forged =
        new EventId(id.ingestedAtMillis() + 1, id.busOrdinal(), id.partition(), id.offset());
    assertError(get(herald, "/v1/events/" + forged), 404, "EventNotFound", null);
  }

  private static void assertError(TestHerald.Answer answer, int status, String code, String field) {
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(status);
    assertThat(answer.body().at("/error/code").asText()).isEqualTo(code);
    assertThat(answer.body().at("/error/message").asText()).isNotBlank();
    if (field == null) {
      assertThat(answer.body().at("/error").has("field")).isFalse();
    } else {
      assertThat(answer.body().at("/error/field").asText()).isEqualTo(field);
    }
  }
}
