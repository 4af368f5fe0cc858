package dev.herald.server;

import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The caps on buses, rules per bus and targets, set small through the environment. */
class ConfigCapsTest {
  private static Herald herald;

  @BeforeAll
  static void start() {
    herald =
        Herald.start(
            HeraldConfig.embedded(TestHerald.tempDir()).withPort(0),
            Map.of(
                "HERALD_MAX_BUSES", "3",
                "HERALD_MAX_RULES_PER_BUS", "2",
                "HERALD_MAX_TARGETS", "2"));
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static void assertLimit(TestHerald.Answer answer) {
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(409);
    assertThat(answer.body().at("/error/code").asText()).isEqualTo("LimitExceeded");
  }

  @Test
  void theBusCapCountsTheDefaultBusAndUpdatesStillPass() {
    assertThat(put(herald, "/v1/buses/b1", "{}").status()).isEqualTo(200);
    assertThat(put(herald, "/v1/buses/b2", "{}").status()).isEqualTo(200);
    assertLimit(put(herald, "/v1/buses/b3", "{}"));
    assertThat(put(herald, "/v1/buses/b2", "{'description':'changed'}").status()).isEqualTo(200);
  }

  @Test
  void theTargetCapRefusesTheThirdTarget() {
    assertThat(put(herald, "/v1/targets/t1", "{'type':'log'}").status()).isEqualTo(200);
    assertThat(put(herald, "/v1/targets/t2", "{'type':'log'}").status()).isEqualTo(200);
    assertLimit(put(herald, "/v1/targets/t3", "{'type':'log'}"));
    assertThat(put(herald, "/v1/targets/t2", "{'type':'log','enabled':false}").status())
        .isEqualTo(200);
  }

  @Test
  void theRuleCapIsPerBus() {
    String rule = "{'pattern':{'source':['a']}}";
    assertThat(put(herald, "/v1/buses/default/rules/r1", rule).status()).isEqualTo(200);
    assertThat(put(herald, "/v1/buses/default/rules/r2", rule).status()).isEqualTo(200);
    assertLimit(put(herald, "/v1/buses/default/rules/r3", rule));
    assertThat(put(herald, "/v1/buses/default/rules/r2", rule).status()).isEqualTo(200);
  }

  @Test
  void anApplyHoldsToTheRuleCapAsPutsDo() {
    // the same rules as theRuleCapIsPerBus, which may have made r1 and r2 already
    TestHerald.Answer capped =
        apply(
            "{'rules': {"
                + "'default/r1': {'pattern': {'source': ['a']}},"
                + "'default/r2': {'pattern': {'source': ['a']}},"
                + "'default/r3': {'pattern': {'source': ['a']}}}}");
    assertLimit(capped);
    assertThat(capped.body().at("/error/message").asText()).contains("create rule default/r3");

    // updating the two rules that fit is no new rule
    assertThat(
            apply(
                    "{'rules': {"
                        + "'default/r1': {'pattern': {'source': ['a', 'b']}},"
                        + "'default/r2': {'pattern': {'source': ['a', 'b']}}}}")
                .status())
        .isEqualTo(200);
  }

  private static TestHerald.Answer apply(String desired) {
    return TestHerald.post(
        herald,
        "/v1/config/apply",
        "application/json",
        desired.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
