package dev.herald.server;

import static dev.herald.server.TestHerald.delete;
import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The admin API of buses, rules and targets, exactly as in API.md. */
class AdminApiTest {
  private final Herald herald = TestHerald.shared();
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  private static final String HOOK =
      "{'type':'webhook','webhook':{'url':'http://127.0.0.1:9/hook','secret':'whsec_c2VjcmV0LW9mLTI0LWJ5dGVzLWxvbmch',"
          + "'auth':{'basic':{'username':'u','password':'p4ss'}}}}";

  @Test
  void busesAreUpsertedReadListedAndDeleted() {
    var created =
        put(herald, "/v1/buses/orders-" + id, "{'description':'Orders','archiveRetentionDays':3}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
    assertThat(created.body().get("version").asLong()).isEqualTo(1);
    assertThat(created.body().get("archiveRetentionDays").asInt()).isEqualTo(3);

    var updated =
        put(herald, "/v1/buses/orders-" + id, "{'description':'All orders'}", "If-Match", "1");
    assertThat(updated.body().get("version").asLong()).isEqualTo(2);
    assertThat(get(herald, "/v1/buses/orders-" + id).body().get("description").asText())
        .isEqualTo("All orders");

    var stale = put(herald, "/v1/buses/orders-" + id, "{'description':'x'}", "If-Match", "1");
    assertError(stale, 412, "VersionMismatch", null);

    assertThat(delete(herald, "/v1/buses/orders-" + id).status()).isEqualTo(204);
    assertError(get(herald, "/v1/buses/orders-" + id), 404, "BusNotFound", null);
    assertError(delete(herald, "/v1/buses/orders-" + id), 404, "BusNotFound", null);
  }

  @Test
  void listsPageWithCursors() {
    for (int i = 0; i < 5; i++) {
      put(herald, "/v1/targets/page-" + id + "-" + i, "{'type':'log'}");
    }
    List<String> names = new ArrayList<>();
    String path = "/v1/targets?limit=2";
    for (int pages = 0; pages < 20; pages++) {
      JsonNode page = get(herald, path).body();
      page.get("items").forEach(t -> names.add(t.get("name").asText()));
      if (page.get("next").isNull()) {
        break;
      }
      path = "/v1/targets?limit=2&after=" + page.get("next").asText();
    }
    assertThat(names.stream().filter(n -> n.startsWith("page-" + id))).hasSize(5);
    assertThat(names).isSorted().doesNotHaveDuplicates();
    assertError(get(herald, "/v1/targets?limit=0"), 400, "InvalidField", "limit");
    assertError(get(herald, "/v1/targets?after=***"), 400, "InvalidField", "after");
  }

  @Test
  void secretsAreWriteOnlyAndKeptWhenSentBackMasked() {
    var stored = put(herald, "/v1/targets/hook-" + id, HOOK);
    assertThat(stored.status()).as(stored.body().toString()).isEqualTo(200);
    assertThat(stored.body().at("/webhook/secret").asText()).isEqualTo("***");
    assertThat(stored.body().at("/webhook/auth/basic/password").asText()).isEqualTo("***");
    assertThat(stored.body().at("/webhook/auth/basic/username").asText()).isEqualTo("u");
    assertThat(stored.body().toString())
        .doesNotContain("whsec_c2VjcmV0LW9mLTI0LWJ5dGVzLWxvbmch", "p4ss");

    String roundTrip = get(herald, "/v1/targets/hook-" + id).body().toString();
    var again = put(herald, "/v1/targets/hook-" + id, roundTrip, "If-Match", "1");
    assertThat(again.status()).as(again.body().toString()).isEqualTo(200);
    assertThat(again.body().get("version").asLong()).isEqualTo(2);
    assertThat(again.body().at("/webhook/secret").asText()).isEqualTo("***");
  }

  @Test
  void rulesReferenceTargetsThatMustExistAndCannotBeDeletedWhileUsed() {
    put(herald, "/v1/targets/t-" + id, "{'type':'log'}");
    var unknown =
        put(
            herald,
            "/v1/buses/default/rules/r-" + id,
            "{'pattern':{'source':['x']},'targets':[{'target':'t-"
                + id
                + "'},{'target':'nope-"
                + id
                + "'}]}");
    assertError(unknown, 409, "UnknownTarget", null);
    assertThat(unknown.body().at("/error/names").toString()).contains("nope-" + id);

    var rule =
        put(
            herald,
            "/v1/buses/default/rules/r-" + id,
            "{'pattern':{'source':['x']},'targets':[{'target':'t-" + id + "'}]}");
    assertThat(rule.status()).as(rule.body().toString()).isEqualTo(200);
    assertThat(rule.body().get("enabled").asBoolean()).isTrue();
    assertThat(
            get(herald, "/v1/buses/default/rules/r-" + id).body().at("/pattern/source/0").asText())
        .isEqualTo("x");

    var inUse = delete(herald, "/v1/targets/t-" + id);
    assertError(inUse, 409, "TargetInUse", null);
    assertThat(inUse.body().at("/error/names").toString()).contains("default/r-" + id);

    assertThat(delete(herald, "/v1/buses/default/rules/r-" + id).status()).isEqualTo(204);
    assertThat(delete(herald, "/v1/targets/t-" + id).status()).isEqualTo(204);
    assertError(get(herald, "/v1/buses/default/rules/r-" + id), 404, "RuleNotFound", null);
  }

  @Test
  void aBusWithRulesCannotBeDeletedAndRulesNeedTheirBus() {
    put(herald, "/v1/buses/b-" + id, "{}");
    put(herald, "/v1/buses/b-" + id + "/rules/keep", "{'pattern':{'source':['x']}}");
    var busy = delete(herald, "/v1/buses/b-" + id);
    assertError(busy, 409, "BusHasRules", null);
    assertThat(busy.body().at("/error/names").toString()).contains("keep");
    assertError(
        put(herald, "/v1/buses/none-" + id + "/rules/r", "{'pattern':{'source':['x']}}"),
        404,
        "BusNotFound",
        null);
  }

  @Test
  void badRuleBodiesAreRejectedNamingTheProblem() {
    put(herald, "/v1/targets/bad-" + id, "{'type':'log'}");
    String rule = "/v1/buses/default/rules/bad-" + id;
    assertError(put(herald, rule, "{'pattern': "), 400, "InvalidJson", null);
    assertError(
        put(herald, rule, "{'pattern':{'source':[{'nonsense':1}]}}"),
        400,
        "InvalidPattern",
        "pattern");
    assertError(
        put(herald, rule, "{'pattern':{'detail':{'n':[{'numeric':['>','x']}]}}}"),
        400,
        "InvalidPattern",
        "pattern");
    assertError(put(herald, rule, "{'pattern':'source'}"), 400, "InvalidPattern", "pattern");
    StringBuilder huge = new StringBuilder("{'pattern':{'source':[");
    for (int i = 0; i < 2000; i++) {
      huge.append(i == 0 ? "" : ",").append("'s").append(i).append("'");
    }
    assertError(put(herald, rule, huge + "]}}"), 400, "InvalidPattern", "pattern");
    String wild = "{'wildcard':'*a*b*c*d*e*f*g*h*i*j*k*l*m*n*o*p*'}";
    assertError(
        put(
            herald,
            rule,
            "{'pattern':{'source':["
                + wild
                + "],'detail-type':["
                + wild
                + "],'account':["
                + wild
                + "]}}"),
        400,
        "InvalidPattern",
        "pattern");
    assertError(
        put(
            herald,
            rule,
            "{'pattern':{'source':['x']},'targets':[{'target':'bad-"
                + id
                + "','input':{'a':1},'inputPath':'$.detail'}]}"),
        400,
        "InvalidInput",
        "targets[0].inputPath");
    var undefinedVar =
        put(
            herald,
            rule,
            "{'pattern':{'source':['x']},'targets':[{'target':'bad-"
                + id
                + "','inputTransformer':{'paths':{'id':'$.id'},'template':'{\\\"x\\\": <nope>}'}}]}");
    assertThat(undefinedVar.status()).isEqualTo(400);
    assertThat(undefinedVar.body().at("/error/message").asText()).contains("nope");
    assertError(
        put(herald, rule, "{'pattern':{'source':['x']},'colour':'red'}"),
        400,
        "UnknownField",
        "colour");
    assertError(
        put(herald, "/v1/buses/default/rules/bad%20name", "{'pattern':{'source':['x']}}"),
        400,
        "InvalidField",
        "name");
    assertError(
        put(herald, "/v1/buses/default/rules/" + "x".repeat(65), "{'pattern':{'source':['x']}}"),
        400,
        "InvalidField",
        "name");
  }

  @Test
  void badTargetBodiesAreRejectedNamingTheField() {
    String t = "/v1/targets/badt-" + id;
    assertError(put(herald, t, "{'type':'pigeon'}"), 400, "InvalidField", "type");
    assertError(
        put(herald, t, "{'type':'webhook','webhook':{}}"), 400, "InvalidField", "webhook.url");
    assertError(
        put(herald, t, "{'type':'webhook','webhook':{'url':'ftp://x'}}"),
        400,
        "InvalidField",
        "webhook.url");
    assertError(put(herald, t, "{'type':'log','timeoutMs':0}"), 400, "InvalidField", "timeoutMs");
    assertError(
        put(herald, t, "{'type':'log','retry':{'maxAttempts':1,'tries':3}}"),
        400,
        "UnknownField",
        "retry.tries");
    assertError(
        put(herald, t, "{'type':'webhook','webhook':{'url':'http://a','colour':1}}"),
        400,
        "UnknownField",
        "webhook.colour");
  }

  @Test
  void targetsAreBuiltWhenStoredSoWhatOnlyTheirTypeChecksIsRefusedToo() {
    String t = "/v1/targets/built-" + id;
    assertError(
        put(herald, t, "{'type':'chat','chat':{'url':'http://127.0.0.1:9/x','text':'{{#detail}'}}"),
        400,
        "InvalidField",
        "chat.text");
    assertError(
        put(herald, t, "{'type':'function','function':{'handler':'a.B','jar':'missing.jar'}}"),
        400,
        "InvalidField",
        "function.jar");
    assertError(
        put(
            herald,
            t,
            "{'type':'email','email':{'smtp':{'host':'127.0.0.1','port':25},'from':'not an address',"
                + "'to':'ops@example.com','subject':'s','text':'t'}}"),
        400,
        "InvalidField",
        "email.from");
    assertThat(get(herald, t).status()).as("nothing was stored").isEqualTo(404);
  }

  @Test
  void chatUrlIsASecretKeptWhenSentBackMasked() {
    String t = "/v1/targets/chat-" + id;
    var stored =
        put(
            herald,
            t,
            "{'type':'chat','chat':{'url':'http://127.0.0.1:9/T0/B0/s3cr3t','text':'hi'}}");
    assertThat(stored.status()).as(stored.body().toString()).isEqualTo(200);
    assertThat(stored.body().toString()).doesNotContain("s3cr3t");
    assertThat(stored.body().at("/rateLimit/perSecond").asDouble())
        .as("chat services take about one message a second")
        .isEqualTo(1.0);
    var again = put(herald, t, get(herald, t).body().toString(), "If-Match", "1");
    assertThat(again.status()).as(again.body().toString()).isEqualTo(200);
  }

  @Test
  void anAnalyticsTargetKeepsMoreDeliveriesInFlightByDefault() {
    var analytics = put(herald, "/v1/targets/an-" + id, "{'type':'analytics'}");
    var log = put(herald, "/v1/targets/log-" + id, "{'type':'log'}");

    assertThat(analytics.body().at("/concurrency/max").asInt()).isEqualTo(512);
    assertThat(log.body().at("/concurrency/max").asInt()).isEqualTo(64);
  }

  @Test
  void testPatternAnswersWhetherAnEnvelopeMatches() {
    String event =
        "'event':{'version':'0','id':'1','detail-type':'OrderPlaced','source':'shop.orders','account':'000000000000',"
            + "'time':'2026-11-26T10:00:00Z','region':'local','resources':[],'detail':{'total':42.5}}";
    var yes =
        TestHerald.postJson(
            herald,
            "/v1/test-pattern",
            "{'pattern':{'source':['shop.orders'],'detail':{'total':[{'numeric':['>',40]}]}},"
                + event
                + "}");
    assertThat(yes.status()).as(String.valueOf(yes.body())).isEqualTo(200);
    assertThat(yes.body().get("matches").asBoolean()).isTrue();
    var no =
        TestHerald.postJson(
            herald,
            "/v1/test-pattern",
            "{'pattern':{'detail':{'total':[{'numeric':['<',40]}]}}," + event + "}");
    assertThat(no.body().get("matches").asBoolean()).isFalse();
    assertError(
        TestHerald.postJson(
            herald, "/v1/test-pattern", "{'pattern':{'source':[{'bogus':1}]}," + event + "}"),
        400,
        "InvalidPattern",
        "pattern");
    assertError(
        TestHerald.postJson(herald, "/v1/test-pattern", "{'pattern':{'source':['x']},'event':[]}"),
        400,
        "InvalidField",
        "event");
  }

  static void assertError(TestHerald.Answer answer, int status, String code, String field) {
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(status);
    assertThat(answer.body().at("/error/code").asText())
        .as(answer.body().toString())
        .isEqualTo(code);
    assertThat(answer.body().at("/error/message").asText()).isNotBlank();
    if (field != null) {
      assertThat(answer.body().at("/error/field").asText()).isEqualTo(field);
    }
  }
}
