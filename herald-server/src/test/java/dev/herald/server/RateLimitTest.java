package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.auth.KeyToken;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rate limits over HTTP against a real Herald: per key (every endpoint, publishing per entry) and
 * per bus (also with auth off), answered 429 in the error shape with {@code Retry-After}, and
 * counted in {@code /metrics}. A limit of 1 per second is passed by one request larger than the
 * bucket, which leaves it owing many seconds: the next request is refused however slow the machine.
 */
class RateLimitTest {
  static final KeyToken BOOTSTRAP = new KeyToken("hk_boot", "bootstrap-secret-0123456789");

  static Herald herald;
  static KeyClient admin;

  @BeforeAll
  static void start() {
    herald =
        Herald.start(
            HeraldConfig.embedded(TestHerald.tempDir()).withPort(0),
            Map.of(
                "HERALD_BOOTSTRAP_KEY", BOOTSTRAP.text(),
                "HERALD_RATE_LIMIT_PER_KEY", "1,hk_boot=unlimited",
                "HERALD_RATE_LIMIT_PER_BUS", "1,free=unlimited"));
    admin = new KeyClient(herald, BOOTSTRAP.text());
    assertThat(admin.put("/v1/buses/free", "{}").status()).isEqualTo(200);
    assertThat(admin.put("/v1/buses/slow", "{}").status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  static String entries(String bus, int count) {
    String entry = "{'bus':'" + bus + "','source':'s','detailType':'t','detail':{}}";
    return "{'entries':[" + String.join(",", Collections.nCopies(count, entry)) + "]}";
  }

  static KeyClient keyWith(String scope) {
    var created = admin.post("/v1/keys", "{'name':'limited','scopes':['" + scope + "']}");
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    return admin.as(created.body().get("key").asText());
  }

  static void assertLimited(KeyClient.Answer answer, String message, String field) {
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(429);
    assertThat(answer.code()).isEqualTo("TooManyRequests");
    assertThat(answer.message()).contains(message).contains("retry after");
    assertThat(answer.body().at("/error/field").asText(null)).isEqualTo(field);
    long retryAfter =
        Long.parseLong(answer.raw().headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 100L);
  }

  @Test
  void aKeyPublishingMoreEntriesThanItsLimitIsAnswered429() {
    KeyClient publisher = keyWith("publish:*");
    String id = publisher.key().substring(0, publisher.key().indexOf('.'));

    var first = publisher.post("/v1/events", entries("free", 100));
    var next = publisher.post("/v1/events", entries("free", 1));

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().get("failedEntryCount").asInt()).isZero();
    assertLimited(next, "key '" + id + "'", null);
    assertThat(next.message()).contains("at most 1 requests or events per second");
    var metrics = admin.get("/metrics").raw().body();
    assertThat(metrics)
        .contains("herald_ratelimit_refused_total{limit=\"key\",name=\"" + id + "\"}");
  }

  @Test
  void aKeyIsLimitedOnEveryEndpointNotOnlyPublishing() {
    KeyClient reader = keyWith("read");

    boolean limited = false;
    for (int i = 0; i < 20 && !limited; i++) {
      var answer = reader.get("/v1/buses");
      if (answer.status() == 429) {
        limited = true;
        assertLimited(answer, "at most 1 requests or events per second", null);
      } else {
        assertThat(answer.status()).isEqualTo(200);
      }
    }

    assertThat(limited).as("20 requests at a limit of 1 per second").isTrue();
    assertThat(admin.get("/v1/buses").status()).isEqualTo(200); // another key, unlimited
  }

  @Test
  void aBusIsLimitedWhateverKeyPublishesToIt() {
    var first = admin.post("/v1/events", entries("slow", 100));
    var next =
        admin.post(
            "/v1/events",
            "{'entries':[{'bus':'free','source':'s','detailType':'t','detail':{}},"
                + "{'bus':'slow','source':'s','detailType':'t','detail':{}}]}");

    assertThat(first.status()).isEqualTo(200);
    assertLimited(next, "bus 'slow'", "entries[1].bus");
    assertThat(next.message()).contains("at most 1 events per second");
    assertThat(admin.post("/v1/events", entries("free", 5)).status()).isEqualTo(200);
    assertThat(admin.get("/metrics").raw().body())
        .contains("herald_ratelimit_refused_total{limit=\"bus\",name=\"slow\"}");
  }

  @Test
  void busLimitsHoldWithAuthOff() {
    try (Herald open =
        Herald.start(
            HeraldConfig.embedded(TestHerald.tempDir()).withPort(0),
            Map.of("HERALD_RATE_LIMIT_PER_BUS", "1"))) {
      KeyClient anyone = new KeyClient(open, null);

      assertThat(anyone.post("/v1/events", entries("default", 50)).status()).isEqualTo(200);
      var next = anyone.post("/v1/events", entries("default", 1));

      assertLimited(next, "bus 'default'", "entries[0].bus");
      assertThat(anyone.get("/v1/buses").status()).isEqualTo(200); // no key: no key limit
    }
  }
}
