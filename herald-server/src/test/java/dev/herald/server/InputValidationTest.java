package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bad input of issue 11 against a real Herald: each is a 400 (or an entry error) naming the
 * field, never a silent wrap, a 200 or a 500.
 */
class InputValidationTest {
  private final Herald herald = TestHerald.shared();

  private static void assertError(TestHerald.Answer answer, int status, String field) {
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(status);
    assertThat(answer.body().at("/error/field").asText()).isEqualTo(field);
    assertThat(answer.body().at("/error/message").asText()).isNotBlank();
  }

  @Test
  void integersPast2To64AreRefusedNotWrapped() {
    assertError(
        put(herald, "/v1/targets/wrap-timeout", "{'type':'log','timeoutMs':18446744073709556616}"),
        400,
        "timeoutMs");
    assertError(
        put(
            herald,
            "/v1/targets/wrap-attempts",
            "{'type':'log','retry':{'maxAttempts':18446744073709551624}}"),
        400,
        "retry.maxAttempts");
    assertThat(get(herald, "/v1/targets/wrap-timeout").status()).isEqualTo(404);
  }

  @Test
  void hugeOrFractionalNumbersAreRefusedWhereSecondsAreExpected() {
    assertThat(put(herald, "/v1/targets/limits-q", "{'type':'queue'}").status()).isEqualTo(200);
    assertError(
        postJson(herald, "/v1/queues/limits-q/receive", "{'waitSeconds': 1e100}"),
        400,
        "waitSeconds");
    assertError(
        postJson(herald, "/v1/queues/limits-q/receive", "{'max': 18446744073709551626}"),
        400,
        "max");
    assertError(
        postJson(
            herald, "/v1/queues/limits-q/nack", "{'receiptHandles': ['x'], 'delaySeconds': 1e100}"),
        400,
        "delaySeconds");
    assertError(
        postJson(herald, "/v1/queues/limits-q/receive", "{'waitSeconds': 0.5}"),
        400,
        "waitSeconds");
  }

  @Test
  void dotAndDotDotAreNotNames() {
    for (String name : List.of("%2e%2e", "%2E", "..", ".")) {
      var answer = put(herald, "/v1/buses/" + name, "{}");
      assertThat(answer.status()).as(name).isIn(400, 404);
      var target = put(herald, "/v1/targets/" + name, "{'type':'log'}");
      assertThat(target.status()).as(name).isIn(400, 404);
    }
    var buses = get(herald, "/v1/buses?limit=1000").body().get("items");
    buses.forEach(bus -> assertThat(bus.get("name").asText()).isNotIn(".", ".."));
  }

  @Test
  void redriveIdsOfTheWrongTypeAre400NamingTheItem() {
    assertThat(put(herald, "/v1/targets/limits-redrive", "{'type':'log'}").status()).isEqualTo(200);
    assertError(
        postJson(herald, "/v1/targets/limits-redrive/dlq/redrive", "{'ids': [{}, 5, null]}"),
        400,
        "ids[0]");
    assertError(
        postJson(herald, "/v1/targets/limits-redrive/dlq/redrive", "{'ids': ['a', 5]}"),
        400,
        "ids[1]");
  }

  @Test
  void unknownOrRepeatedQueryParametersAre400OnEveryEndpoint() {
    for (String path :
        List.of(
            "/v1/buses?limt=5",
            "/v1/buses/default?x=1",
            "/v1/buses/default/rules?limit=5&sort=name",
            "/v1/targets?x=1",
            "/v1/events/01JD7Q0000000000000000000?x=1",
            "/v1/audit?bogus=1",
            "/v1/audit/verify?x=1",
            "/v1/analytics/counts?x=1",
            "/health/live?x=1",
            "/health/ready?x=1",
            "/metrics?x=1")) {
      var answer = get(herald, path);
      assertThat(answer.status()).as(path).isEqualTo(400);
      assertThat(answer.body().at("/error/code").asText()).as(path).isEqualTo("UnknownField");
    }
    assertError(postJson(herald, "/v1/events?dryRun=true", "{'entries':[]}"), 400, "dryRun");
    assertError(get(herald, "/v1/buses?limit=1&limit=2"), 400, "limit");
    assertThat(get(herald, "/v1/buses?limit=5").status()).isEqualTo(200);
  }

  @Test
  void anAbsurdYearInAuditFromIs400Not500() {
    assertError(get(herald, "/v1/audit?from=%2B999999999-01-01T00:00:00Z"), 400, "from");
    assertError(get(herald, "/v1/audit?to=-999999999-01-01T00:00:00Z"), 400, "to");
    assertError(get(herald, "/v1/analytics/counts?from=%2B999999999-01-01T00:00:00Z"), 400, "from");
  }

  @Test
  void anEventTimeOutsideYears1To9999IsAnEntryErrorAndItsBatchMatesAreStored() {
    var answer =
        postJson(
            herald,
            "{'entries':[{'source':'s','detailType':'T','detail':{},"
                + "'time':'+999999999-01-01T00:00:00Z'},"
                + "{'source':'s','detailType':'T','detail':{}}]}");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().get("failedEntryCount").asInt()).isEqualTo(1);
    assertThat(answer.body().at("/entries/0/field").asText()).isEqualTo("time");
    assertThat(answer.body().at("/entries/0/errorCode").asText()).isEqualTo("InvalidField");
    assertThat(answer.body().at("/entries/1/eventId").asText()).isNotEmpty();
  }

  @Test
  void tooManyWebhookHeadersAreRefused() {
    ObjectNode target = Json.object().put("type", "webhook");
    ObjectNode webhook = target.putObject("webhook").put("url", "http://127.0.0.1:9/hook");
    ObjectNode headers = webhook.putObject("headers");
    for (int i = 0; i < 33; i++) {
      headers.put("X-H" + i, "v");
    }
    assertError(
        put(herald, "/v1/targets/many-headers", target.toString().replace('"', '\'')),
        400,
        "webhook.headers");
    headers.removeAll();
    headers.put("X-Big", "v".repeat(5000));
    assertError(
        put(herald, "/v1/targets/big-header", target.toString().replace('"', '\'')),
        400,
        "webhook.headers.X-Big");
  }

  @Test
  void deeplyNestedTemplateIs400Not500() {
    // the case: 20,000 nested sections (refused for its size) and 5,000 (for its depth)
    for (int levels : new int[] {20_000, 5_000}) {
      assertError(
          put(herald, "/v1/targets/deep-template", emailWithHtml(levels)), 400, "email.html");
    }
  }

  private static String emailWithHtml(int levels) {
    String deep = "{{#x}}".repeat(levels) + "{{/x}}".repeat(levels);
    String body =
        "{'type':'email','email':{'smtp':{'host':'127.0.0.1','port':25},'from':'a@example.com',"
            + "'to':['b@example.com'],'subject':'s','html':'"
            + deep
            + "'}}";
    return body;
  }

  @Test
  void aBusRefusesTheWildcardRuleThatWouldMakeMatchingTooCostly() {
    assertThat(put(herald, "/v1/buses/wild", "{}").status()).isEqualTo(200);
    int accepted = 0;
    TestHerald.Answer refused = null;
    for (int i = 0; i < 200 && refused == null; i++) {
      var answer =
          put(
              herald,
              "/v1/buses/wild/rules/w" + i,
              "{'pattern':{'detail':{'x':[{'wildcard':'*w" + i + "*'}]}}}");
      if (answer.status() == 200) {
        accepted++;
      } else {
        refused = answer;
      }
    }
    assertThat(refused).isNotNull();
    assertError(refused, 400, "pattern");
    assertThat(refused.body().at("/error/message").asText()).contains("per bus");
    assertThat(accepted).isBetween(10, 199);
    // rules without wildcards still fit
    assertThat(
            put(herald, "/v1/buses/wild/rules/exact", "{'pattern':{'source':['shop.orders']}}")
                .status())
        .isEqualTo(200);
  }
}
