package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API behind the console, against a real Herald: the search of recent events, the live tail
 * (matching, bad patterns, a client that never reads), an unknown event id, the target stats and a
 * redrive of a letter already redriven.
 */
class ConsoleApiTest {
  private final Herald herald = TestHerald.shared();
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  private List<String> publish(String source, String detailType, int count) {
    StringBuilder entries = new StringBuilder();
    for (int i = 0; i < count; i++) {
      entries
          .append(i == 0 ? "" : ",")
          .append("{'source':'")
          .append(source)
          .append("','detailType':'")
          .append(detailType)
          .append("','detail':{'n':")
          .append(i)
          .append("}}");
    }
    var answer = postJson(herald, "{'entries':[" + entries + "]}");
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    answer.body().get("entries").forEach(e -> ids.add(e.get("eventId").asText()));
    return ids;
  }

  private static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  void searchFindsEventsBySourceAndDetailTypeAPageAtATime() {
    List<String> placed = publish("shop-" + id, "OrderPlaced", 3);
    publish("shop-" + id, "OrderShipped", 2);
    publish("other-" + id, "OrderPlaced", 2);

    List<String> found = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      var page =
          get(
              herald,
              "/v1/events?bus=default&source=shop-"
                  + id
                  + "&detailType=OrderPlaced&limit=2"
                  + (after == null ? "" : "&after=" + after));
      assertThat(page.status()).as(String.valueOf(page.body())).isEqualTo(200);
      page.body().get("events").forEach(e -> found.add(e.get("id").asText()));
      page.body()
          .get("events")
          .forEach(
              e -> {
                assertThat(e.get("source").asText()).isEqualTo("shop-" + id);
                assertThat(e.get("detailType").asText()).isEqualTo("OrderPlaced");
              });
      after = page.body().get("next").isNull() ? null : page.body().get("next").asText();
      pages++;
    } while (after != null && pages < 20);
    assertThat(found).containsExactlyElementsOf(placed);
    assertThat(pages).isGreaterThanOrEqualTo(2);
  }

  @Test
  void searchOutsideTheTimeRangeFindsNothing() {
    publish("old-" + id, "T", 1);
    var answer =
        get(
            herald,
            "/v1/events?source=old-" + id + "&from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().get("events")).isEmpty();
    assertThat(answer.body().get("next").isNull()).isTrue();
  }

  @Test
  void searchRefusesBadParametersNamingThem() {
    assertError(get(herald, "/v1/events?sorce=x"), 400, "UnknownField", "sorce");
    assertError(get(herald, "/v1/events?from=yesterday"), 400, "InvalidField", "from");
    assertError(
        get(herald, "/v1/events?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"),
        400,
        "InvalidField",
        "from");
    assertError(get(herald, "/v1/events?bus=no-such-bus-" + id), 400, "InvalidField", "bus");
    assertError(get(herald, "/v1/events?limit=0"), 400, "InvalidField", "limit");
    assertError(get(herald, "/v1/events?after=not-a-cursor"), 400, "InvalidField", "after");
  }

  @Test
  void anEventIdThatDoesNotExistIs404() {
    assertError(get(herald, "/v1/events/01M98H14MY00000FR000000000"), 404, "EventNotFound", null);
    assertError(get(herald, "/v1/events/not-an-id"), 400, "InvalidField", "id");
  }

  @Test
  void aTailPatternThatDoesNotCompileIs400NamingPattern() {
    assertError(
        get(herald, "/v1/buses/default/tail?pattern=" + q("{\"source\": 5}")),
        400,
        "InvalidPattern",
        "pattern");
    assertError(
        get(herald, "/v1/buses/default/tail?pattern=" + q("{not json")),
        400,
        "InvalidPattern",
        "pattern");
    assertError(get(herald, "/v1/buses/no-such-bus-" + id + "/tail"), 404, "BusNotFound", null);
    assertError(get(herald, "/v1/buses/default/tail?patern=x"), 400, "UnknownField", "patern");
  }

  @Test
  void theTailStreamsNewEventsThatMatchItsPattern() throws Exception {
    String pattern = "{\"source\": [\"tail-" + id + "\"]}";
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + herald.port()
                        + "/v1/buses/default/tail?pattern="
                        + q(pattern)))
            .GET()
            .build();
    HttpResponse<Stream<String>> response =
        TestHerald.HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
    Iterator<String> lines = response.body().iterator();
    assertThat(lines.next()).isEqualTo("event: ready");

    publish("elsewhere-" + id, "T", 1);
    List<String> ids = publish("tail-" + id, "T", 2);
    List<JsonNode> events = new ArrayList<>();
    CompletableFuture<Void> read =
        CompletableFuture.runAsync(
            () -> {
              while (events.size() < 2 && lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("data: {\"version\"")) {
                  try {
                    events.add(Json.MAPPER.readTree(line.substring(6)));
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }
              }
            });
    read.get(30, java.util.concurrent.TimeUnit.SECONDS);
    response.body().close();
    assertThat(events).extracting(e -> e.get("id").asText()).containsExactlyElementsOf(ids);
    assertThat(events)
        .allSatisfy(e -> assertThat(e.get("source").asText()).isEqualTo("tail-" + id));
  }

  /**
   * A tail whose client never reads: deliveries on the bus all complete while it is open, and the
   * server drops it (closes the connection) once its queue is full.
   */
  @Test
  void aTailClientThatNeverReadsIsDroppedAndDeliveryGoesOn() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (Receiver receiver = new Receiver(() -> calls.incrementAndGet() > 0 ? 204 : 500);
        Socket socket = new Socket("127.0.0.1", herald.port())) {
      String name = "slow-tail-" + id;
      assertThat(
              put(
                      herald,
                      "/v1/targets/" + name,
                      "{'type':'webhook','webhook':{'url':'" + receiver.url() + "'}}")
                  .status())
          .isEqualTo(200);
      assertThat(
              put(
                      herald,
                      "/v1/buses/default/rules/" + name,
                      "{'pattern':{'source':['"
                          + name
                          + "']},'targets':[{'target':'"
                          + name
                          + "'}]}")
                  .status())
          .isEqualTo(200);
      double droppedBefore = tailsDropped();
      // small enough to fill, large enough to drain fast (4 KiB drained at 40 KB/s: 100 s)
      socket.setReceiveBufferSize(64 * 1024);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /v1/buses/default/tail HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(1000); // the tail starts from the end of the bus: let it find the end first

      String padding = "x".repeat(16 * 1024);
      int batches = 40;
      int perBatch = 60; // 2,400 events of 16 KiB: more than the queue and the socket buffers hold
      for (int b = 0; b < batches; b++) {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < perBatch; i++) {
          entries
              .append(i == 0 ? "" : ",")
              .append("{'source':'")
              .append(name)
              .append("','detailType':'T','detail':{'pad':'")
              .append(padding)
              .append("'}}");
        }
        assertThat(postJson(herald, "{'entries':[" + entries + "]}").status()).isEqualTo(200);
      }
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(() -> assertThat(receiver.calls).hasSize(batches * perBatch));

      // the server closed the connection: what was buffered reads out, then the end of the stream
      socket.setSoTimeout(30_000);
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[64 * 1024];
      boolean ended = false;
      try {
        while (in.read(buffer) >= 0) {
          // drain
        }
        ended = true;
      } catch (SocketTimeoutException e) {
        ended = false;
      } catch (IOException e) {
        ended = true; // reset by the server
      }
      assertThat(ended).as("the server closed the tail of a client that did not read").isTrue();
      assertThat(tailsDropped()).isGreaterThan(droppedBefore);
    }
  }

  /** {@code herald_tail_dropped_total}, from the metrics. */
  private double tailsDropped() {
    String prefix = "herald_tail_dropped_total ";
    return new String(get(herald, "/metrics").raw().body(), StandardCharsets.UTF_8)
        .lines()
        .filter(line -> line.startsWith(prefix))
        .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length())))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + "in /metrics"));
  }

  @Test
  void statsShowEachTargetsCountsStateAndDeadLetters() {
    AtomicInteger calls = new AtomicInteger();
    try (Receiver receiver = new Receiver(() -> calls.incrementAndGet() <= 1 ? 500 : 204)) {
      String name = "stats-" + id;
      deadLetterOne(name, receiver);
      JsonNode stats = get(herald, "/v1/stats?target=" + name).body();
      JsonNode target = stats.get("targets").get(0);
      assertThat(target.get("name").asText()).isEqualTo(name);
      assertThat(target.get("type").asText()).isEqualTo("webhook");
      assertThat(target.get("circuit").asText()).isEqualTo("closed");
      assertThat(target.get("deadLetters").asInt()).isEqualTo(1);
      assertThat(target.get("attempts").get("DeadLettered").asLong()).isEqualTo(1);
      assertThat(target.get("concurrencyLimit").asInt()).isPositive();
      assertThat(target.get("backlog").isNumber()).isTrue();
      assertThat(target.has("rate") && target.has("p99Ms")).isTrue();
      assertThat(stats.get("ingest").get("accepted").asLong()).isPositive();
      assertError(get(herald, "/v1/stats?target=nope-" + id), 404, "TargetNotFound", null);
    }
  }

  @Test
  void redrivingALetterAlreadyRedrivenNamesItInFailed() {
    AtomicInteger calls = new AtomicInteger();
    try (Receiver receiver = new Receiver(() -> calls.incrementAndGet() <= 1 ? 500 : 204)) {
      String name = "again-" + id;
      String letter = deadLetterOne(name, receiver);
      String path = "/v1/targets/" + name + "/dlq/redrive";
      var first = postJson(herald, path, "{'ids':['" + letter + "']}");
      assertThat(first.body().get("redriven").asInt()).isEqualTo(1);
      assertThat(first.body().get("failed")).isEmpty();

      var second = postJson(herald, path, "{'ids':['" + letter + "']}");
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.body().get("redriven").asInt()).isZero();
      assertThat(second.body().get("failed")).hasSize(1);
      assertThat(second.body().at("/failed/0/id").asText()).isEqualTo(letter);
      assertThat(second.body().at("/failed/0/code").asText()).isEqualTo("DeadLetterNotFound");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(receiver.calls).hasSize(2));
    }
  }

  /** A webhook target with one attempt, a rule to it, and one event dead-lettered there. */
  private String deadLetterOne(String name, Receiver receiver) {
    assertThat(
            put(
                    herald,
                    "/v1/targets/" + name,
                    "{'type':'webhook','webhook':{'url':'"
                        + receiver.url()
                        + "'},'retry':{'maxAttempts':1},'circuit':{'enabled':false}}")
                .status())
        .isEqualTo(200);
    assertThat(
            put(
                    herald,
                    "/v1/buses/default/rules/" + name,
                    "{'pattern':{'source':['" + name + "']},'targets':[{'target':'" + name + "'}]}")
                .status())
        .isEqualTo(200);
    publish(name, "T", 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(get(herald, "/v1/targets/" + name + "/dlq").body().get("entries"))
                    .hasSize(1));
    JsonNode page = get(herald, "/v1/targets/" + name + "/dlq").body();
    assertThat(page.get("total").asInt()).isEqualTo(1);
    return page.at("/entries/0/id").asText();
  }

  private static void assertError(TestHerald.Answer answer, int status, String code, String field) {
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(status);
    assertThat(answer.body().at("/error/code").asText()).isEqualTo(code);
    if (field != null) {
      assertThat(answer.body().at("/error/field").asText()).isEqualTo(field);
    }
  }
}
