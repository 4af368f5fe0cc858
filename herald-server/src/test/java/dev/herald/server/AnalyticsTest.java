package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.json.Json;
import dev.herald.targets.AnalyticsSink;
import dev.herald.targets.TargetContext;
import dev.herald.targets.TargetServices;
import dev.herald.targets.Targets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Analytics end to end on a real Herald: events routed to an analytics target are counted through
 * {@code GET /v1/analytics/counts}, once per delivery key, and bad queries name their parameter.
 */
class AnalyticsTest {
  private final Herald herald = TestHerald.shared();
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  // each test counts in an hour of its own, so tests sharing the store do not see each other
  private final Instant base =
      Instant.parse("2030-01-01T00:00:00Z")
          .plus(Duration.ofHours(ThreadLocalRandom.current().nextInt(1_000_000)));

  private String publish(String source, String detailType, Instant time, int count) {
    StringBuilder entries = new StringBuilder("{'entries':[");
    for (int i = 0; i < count; i++) {
      entries
          .append(i == 0 ? "" : ",")
          .append("{'source':'")
          .append(source)
          .append("','detailType':'")
          .append(detailType)
          .append("','time':'")
          .append(time.plusSeconds(i % 30))
          .append("','detail':{'n':")
          .append(i)
          .append("}}");
    }
    var answer = postJson(herald, entries.append("]}").toString());
    assertThat(answer.body().get("failedEntryCount").asInt()).as(answer.body().toString()).isZero();
    return answer.body().at("/entries/0/eventId").asText();
  }

  private JsonNode counts(String query) {
    var answer = get(herald, "/v1/analytics/counts?" + query);
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
    return answer.body();
  }

  private String range(String groupBy) {
    return "groupBy="
        + groupBy
        + "&from="
        + base
        + "&to="
        + base.plusSeconds(3600)
        + "&bus=default";
  }

  private static List<String> series(JsonNode body) {
    List<String> lines = new ArrayList<>();
    for (JsonNode s : body.get("series")) {
      StringBuilder line = new StringBuilder(s.get("key").asText() + "=" + s.get("total").asLong());
      s.get("points")
          .forEach(
              p ->
                  line.append(" ")
                      .append(p.get("t").asText())
                      .append(":")
                      .append(p.get("count").asLong()));
      lines.add(line.toString());
    }
    return lines;
  }

  @Test
  void eventsRoutedToAnAnalyticsTargetAreCountedPerMinuteByDetailTypeAndSource() {
    String target = "stats-" + id;
    assertThat(put(herald, "/v1/targets/" + target, "{'type':'analytics'}").status())
        .isEqualTo(200);
    var rule =
        put(
            herald,
            "/v1/buses/default/rules/stats-" + id,
            "{'pattern':{'source':[{'prefix':'"
                + id
                + ".'}]},'targets':[{'target':'"
                + target
                + "'}]}");
    assertThat(rule.status()).as(String.valueOf(rule.body())).isEqualTo(200);
    // a shaped input does not carry the event: the sink reads it back from the bus
    var shaped =
        put(
            herald,
            "/v1/buses/default/rules/shaped-" + id,
            "{'pattern':{'source':['"
                + id
                + "-shaped']},"
                + "'targets':[{'target':'"
                + target
                + "','inputPath':'$.detail'}]}");
    assertThat(shaped.status()).as(String.valueOf(shaped.body())).isEqualTo(200);

    String first = publish(id + ".orders", "OrderPlaced", base, 20);
    publish(id + ".orders", "OrderShipped", base.plusSeconds(70), 5);
    publish(id + ".billing", "InvoiceSent", base.plusSeconds(10), 3);
    publish(id + "-shaped", "Shaped", base.plusSeconds(130), 2);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              long total = 0;
              for (JsonNode s : counts(range("detailType")).get("series")) {
                total += s.get("total").asLong();
              }
              return total == 30;
            });
    String t0 = base.toString();
    String t1 = base.plusSeconds(60).toString();
    String t2 = base.plusSeconds(120).toString();
    assertThat(series(counts(range("detailType"))))
        .containsExactly(
            "OrderPlaced=20 " + t0 + ":20",
            "OrderShipped=5 " + t1 + ":5",
            "InvoiceSent=3 " + t0 + ":3",
            "Shaped=2 " + t2 + ":2");
    assertThat(series(counts(range("source"))))
        .containsExactly(
            id + ".orders=25 " + t0 + ":20 " + t1 + ":5",
            id + ".billing=3 " + t0 + ":3",
            id + "-shaped=2 " + t2 + ":2");
    assertThat(series(counts(range("detailType") + "&interval=1h&top=1")))
        .containsExactly("OrderPlaced=20 " + t0 + ":20");
    JsonNode journey = get(herald, "/v1/events/" + first).body().get("deliveries");
    assertThat(journey.at("/0/status").asText()).isEqualTo("delivered");
  }

  @Test
  void theSameDeliveryKeyDeliveredTwiceCountsOnce() throws Exception {
    String eventId = publish(id + "-unrouted", "Dup", base, 1);
    String envelope =
        "{\"version\":\"0\",\"id\":\""
            + eventId
            + "\",\"detail-type\":\"Dup\",\"source\":\""
            + id
            + ".dup\",\"account\":\"000000000000\",\"time\":\""
            + base
            + "\",\"region\":\"local\",\"resources\":[],\"detail\":{}}";
    TargetContext context =
        new TargetContext(
            InstantSource.system(),
            true,
            Set.of(),
            herald.config().dataDir().resolve("plugins"),
            TargetServices.none().with(AnalyticsSink.class, herald.analyticsSink()));
    try (Target target =
        Targets.create(
            TargetSpecs.parse("dup-" + id, Json.MAPPER.readTree("{\"type\":\"analytics\"}")),
            context)) {
      Delivery once = delivery("key-" + id, eventId, envelope);
      double stored = rows("stored");
      double duplicates = rows("duplicate");

      assertThat(target.deliver(once)).isEqualTo(new Outcome.Delivered());
      assertThat(rows("stored")).isGreaterThanOrEqualTo(stored + 1);
      assertThat(target.deliver(once)).isEqualTo(new Outcome.Delivered());
      assertThat(rows("duplicate")).isGreaterThanOrEqualTo(duplicates + 1);
      assertThat(series(counts(range("source")))).containsExactly(id + ".dup=1 " + base + ":1");

      // another delivery of the same event (another rule, a replay) has another key: it counts
      assertThat(target.deliver(delivery("other-" + id, eventId, envelope)))
          .isEqualTo(new Outcome.Delivered());
      assertThat(series(counts(range("source")))).containsExactly(id + ".dup=2 " + base + ":2");
    }
  }

  /** {@code herald_analytics_rows_total} of one result, from the metrics. */
  private double rows(String result) {
    String prefix = "herald_analytics_rows_total{result=\"" + result + "\"} ";
    return new String(get(herald, "/metrics").raw().body(), UTF_8)
        .lines()
        .filter(line -> line.startsWith(prefix))
        .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length())))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + "in /metrics"));
  }

  private static Delivery delivery(String key, String eventId, String envelope) {
    return new Delivery(
        key,
        eventId,
        "rule",
        1,
        envelope.getBytes(UTF_8),
        true,
        Optional.empty(),
        Instant.now().plusSeconds(30));
  }

  @Test
  void withoutParametersCountsTheLastHourPerMinuteByDetailType() {
    JsonNode body = counts("");

    assertThat(body.get("groupBy").asText()).isEqualTo("detailType");
    assertThat(body.get("interval").asText()).isEqualTo("1m");
    assertThat(
            Duration.between(
                Instant.parse(body.get("from").asText()), Instant.parse(body.get("to").asText())))
        .isEqualTo(Duration.ofHours(1));
    assertThat(body.get("series").isArray()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "groupBy=type, groupBy",
    "interval=5m, interval",
    "from=yesterday, from",
    "to=2030-01-01, to",
    "from=2030-01-01T01:00:00Z&to=2030-01-01T00:00:00Z, from",
    "from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z, from",
    "top=0, top",
    "top=1000, top",
    "bus=a%20b, bus",
    "groupby=source, groupby"
  })
  void aBadQueryIs400NamingTheParameter(String query, String field) {
    var answer = get(herald, "/v1/analytics/counts?" + query);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().at("/error/field").asText()).isEqualTo(field);
    assertThat(answer.body().at("/error/code").asText()).isIn("InvalidField", "UnknownField");
  }
}
