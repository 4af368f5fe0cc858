package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Events published once reach exactly the targets whose rules match them, shaped per target. The
 * targets are disabled so that the delivery engine leaves them alone: their deliveries stay {@code
 * pending} and this test sees routing only.
 */
class RoutingTest {
  private final Herald herald = TestHerald.shared();
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  @Test
  void eachMatchedRuleTargetGetsOneRecordWithKeyHeadersAndShapedInput() throws Exception {
    String bus = "shop-" + id;
    put(herald, "/v1/buses/" + bus, "{}");
    put(herald, "/v1/targets/all-" + id, "{'type':'log','enabled':false}");
    put(herald, "/v1/targets/big-" + id, "{'type':'log','enabled':false}");
    put(
        herald,
        "/v1/buses/" + bus + "/rules/orders",
        "{'pattern':{'source':['shop.orders']},'targets':[{'target':'all-"
            + id
            + "'},"
            + "{'target':'big-"
            + id
            + "','inputTransformer':{'paths':{'order':'$.detail.orderId','t':'$.detail.total'},"
            + "'template':'{\\\"order\\\": <order>, \\\"total\\\": <t>, \\\"rule\\\": <aws.events.rule-name>}'}}]}");
    put(
        herald,
        "/v1/buses/" + bus + "/rules/big-orders",
        "{'pattern':{'source':['shop.orders'],'detail':{'total':[{'numeric':['>=',100]}]}},"
            + "'targets':[{'target':'big-"
            + id
            + "','inputPath':'$.detail'}]}");
    put(
        herald,
        "/v1/buses/" + bus + "/rules/disabled",
        "{'pattern':{'source':['shop.orders']},'enabled':false,'targets':[{'target':'all-"
            + id
            + "'}]}");

    String small =
        publish(
            bus,
            "{'source':'shop.orders','detailType':'OrderPlaced','orderingKey':'c-1','detail':{'orderId':'o-1','total':20}}");
    String big =
        publish(
            bus,
            "{'source':'shop.orders','detailType':'OrderPlaced','orderingKey':'c-2','detail':{'orderId':'o-2','total':150}}");
    String other = publish(bus, "{'source':'shop.users','detailType':'SignedUp','detail':{}}");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> TargetTopics.read(herald.kafkaBootstrap(), "big-" + id).size() >= 3);
    List<TargetTopics.Routed> all = TargetTopics.read(herald.kafkaBootstrap(), "all-" + id);
    List<TargetTopics.Routed> bigOnes = TargetTopics.read(herald.kafkaBootstrap(), "big-" + id);

    assertThat(all).extracting(TargetTopics.Routed::eventId).containsExactlyInAnyOrder(small, big);
    assertThat(bigOnes)
        .extracting(r -> r.eventId() + "/" + r.rule())
        .containsExactlyInAnyOrder(small + "/orders", big + "/orders", big + "/big-orders");
    TargetTopics.Routed envelope =
        all.stream().filter(r -> r.eventId().equals(small)).findFirst().orElseThrow();
    JsonNode env = Json.MAPPER.readTree(envelope.value());
    assertThat(env.get("version").asText()).isEqualTo("0");
    assertThat(env.get("id").asText()).isEqualTo(small);
    assertThat(env.get("detail-type").asText()).isEqualTo("OrderPlaced");
    assertThat(env.get("account").asText()).isEqualTo("000000000000");
    assertThat(env.get("region").asText()).isEqualTo("local");
    assertThat(envelope.key()).isEqualTo("c-1");
    assertThat(envelope.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    assertThat(envelope.deliveryKey()).hasSize(32);

    JsonNode shaped =
        Json.MAPPER.readTree(
            bigOnes.stream()
                .filter(r -> r.eventId().equals(big) && r.rule().equals("orders"))
                .findFirst()
                .orElseThrow()
                .value());
    assertThat(shaped.get("order").asText()).isEqualTo("o-2");
    assertThat(shaped.get("total").asInt()).isEqualTo(150);
    assertThat(shaped.get("rule").asText()).isEqualTo("orders");
    JsonNode detailOnly =
        Json.MAPPER.readTree(
            bigOnes.stream()
                .filter(r -> r.rule().equals("big-orders"))
                .findFirst()
                .orElseThrow()
                .value());
    assertThat(detailOnly.get("orderId").asText()).isEqualTo("o-2");

    JsonNode journey = get(herald, "/v1/events/" + big).body().get("deliveries");
    assertThat(journey).hasSize(3);
    journey.forEach(d -> assertThat(d.get("status").asText()).isEqualTo("pending"));
    assertThat(get(herald, "/v1/events/" + other).body().get("deliveries")).isEmpty();
  }

  @Test
  void aRuleAddedLaterRoutesOnlyLaterEvents() {
    String bus = "late-" + id;
    put(herald, "/v1/buses/" + bus, "{}");
    put(herald, "/v1/targets/late-" + id, "{'type':'log','enabled':false}");
    String before = publish(bus, "{'source':'s','detailType':'T','detail':{'v':'plain'}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                metrics()
                    .contains(
                        "herald_router_events_total{bus=\""
                            + bus
                            + "\",result=\"unmatched\"} 1.0"));
    var rule =
        put(
            herald,
            "/v1/buses/" + bus + "/rules/r",
            "{'pattern':{'source':['s']},'targets':[{'target':'late-"
                + id
                + "',"
                + "'inputTransformer':{'paths':{'v':'$.detail.v'},'template':'{\\\"v\\\": <v>}'}}]}");
    assertThat(rule.status()).as(rule.body().toString()).isEqualTo(200);
    String ok = publish(bus, "{'source':'s','detailType':'T','detail':{'v':'fine'}}");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(herald, "/v1/events/" + ok).body().get("deliveries").size() == 1);
    assertThat(get(herald, "/v1/events/" + before).body().get("deliveries")).isEmpty();
  }

  @Test
  void aShapingFailureAtRoutingTimeIsADeadLetterWithTransformError() {
    String bus = "tx-" + id;
    put(herald, "/v1/buses/" + bus, "{}");
    put(herald, "/v1/targets/tx-" + id, "{'type':'log','enabled':false}");
    put(
        herald,
        "/v1/buses/" + bus + "/rules/needs-coupon",
        "{'pattern':{'source':['s']},'targets':[{'target':'tx-"
            + id
            + "','inputPath':'$.detail.coupon'}]}");
    String withCoupon =
        publish(bus, "{'source':'s','detailType':'T','detail':{'coupon':{'code':'X'}}}");
    String without = publish(bus, "{'source':'s','detailType':'T','detail':{}}");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(herald, "/v1/events/" + without).body().get("deliveries").size() == 1);
    JsonNode failed = get(herald, "/v1/events/" + without).body().at("/deliveries/0");
    assertThat(failed.get("status").asText()).isEqualTo("dead-lettered");
    assertThat(failed.at("/lastError/code").asText()).isEqualTo("TransformError");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(herald, "/v1/events/" + withCoupon).body().get("deliveries").size() == 1);
    assertThat(get(herald, "/v1/events/" + withCoupon).body().at("/deliveries/0/status").asText())
        .isEqualTo("pending");
    assertThat(TargetTopics.read(herald.kafkaBootstrap(), "tx-" + id))
        .extracting(TargetTopics.Routed::eventId)
        .containsExactly(withCoupon);
  }

  private String metrics() {
    return new String(
        get(herald, "/metrics").raw().body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private String publish(String bus, String entry) {
    var answer =
        postJson(
            herald,
            "{'entries':[" + entry.replace("{'source'", "{'bus':'" + bus + "','source'") + "]}");
    assertThat(answer.body().get("failedEntryCount").asInt()).as(answer.body().toString()).isZero();
    return answer.body().at("/entries/0/eventId").asText();
  }
}
