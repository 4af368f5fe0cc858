package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.auth.KeyToken;
import dev.herald.core.config.DesiredState;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/config/plan} and {@code /v1/config/apply} against a real Herald whose auth is on:
 * the server computes the difference, field by field, never showing a secret. Each test uses names
 * of its own.
 */
class ConfigAsCodeTest {
  static final KeyToken ADMIN = new KeyToken("hk_cfgadmin", "config-admin-secret-0123456789");
  static Herald herald;
  static KeyClient admin;

  @BeforeAll
  static void start() throws IOException {
    herald =
        Herald.start(
            HeraldConfig.embedded(Files.createTempDirectory("herald-config-as-code")).withPort(0),
            SecuritySettings.defaults().withBootstrapKey(ADMIN));
    admin = new KeyClient(herald, ADMIN.text());
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  /** A desired state: bus {@code p}-bus, targets {@code p}-hook and {@code p}-audit, one rule. */
  static String desired(String p, int maxAttempts, String secret, boolean prune) {
    return """
        {"buses": {"%1$s-bus": {"description": "orders"}},
         "targets": {
           "%1$s-hook": {"type": "webhook",
                         "webhook": {"url": "http://127.0.0.1:9/hook", "secret": "%3$s"},
                         "retry": {"maxAttempts": %2$d}},
           "%1$s-audit": {"type": "audit"}},
         "rules": {"%1$s-bus/big": {"pattern": {"source": ["shop"]},
                                    "targets": [{"target": "%1$s-hook"}, {"target": "%1$s-audit"}]}},
         "prune": %4$s}
        """
        .formatted(p, maxAttempts, secret, prune);
  }

  static final String SECRET_A = "whsec_c2VjcmV0LWEtZm9yLWNvbmZpZy10ZXN0cw==";
  static final String SECRET_B = "whsec_c2VjcmV0LWItZm9yLWNvbmZpZy10ZXN0cw==";

  static List<String> changes(JsonNode plan) {
    List<String> list = new ArrayList<>();
    plan.path("changes")
        .forEach(
            c ->
                list.add(
                    c.path("action").asText()
                        + " "
                        + c.path("kind").asText()
                        + " "
                        + c.path("name").asText()));
    return list;
  }

  @Test
  void planApplyThenPlanAgainFindsNothingAndUpdatesShowFieldDiffsWithoutSecrets() {
    var plan = admin.post("/v1/config/plan", desired("pa", 8, SECRET_A, false));
    assertThat(plan.status()).as(plan.raw().body()).isEqualTo(200);
    assertThat(changes(plan.body()))
        .containsExactly(
            "create bus pa-bus",
            "create target pa-audit",
            "create target pa-hook",
            "create rule pa-bus/big");
    assertThat(admin.get("/v1/targets/pa-hook").status()).isEqualTo(404); // plan changes nothing

    var applied = admin.post("/v1/config/apply", desired("pa", 8, SECRET_A, false));
    assertThat(applied.status()).as(applied.raw().body()).isEqualTo(200);
    assertThat(applied.body().path("applied").asInt()).isEqualTo(4);
    var target = admin.get("/v1/targets/pa-hook");
    assertThat(target.body().path("changedBy").asText()).isEqualTo(ADMIN.id());
    assertThat(admin.get("/v1/buses/pa-bus/rules/big").status()).isEqualTo(200);

    var again = admin.post("/v1/config/plan", desired("pa", 8, SECRET_A, false));
    assertThat(changes(again.body())).isEmpty();
    assertThat(
            admin
                .post("/v1/config/apply", desired("pa", 8, SECRET_A, false))
                .body()
                .path("applied")
                .asInt())
        .isZero();

    var update = admin.post("/v1/config/plan", desired("pa", 20, SECRET_B, false));
    assertThat(changes(update.body())).containsExactly("update target pa-hook");
    JsonNode diffs = update.body().at("/changes/0/diffs");
    assertThat(diffs.toString())
        .contains("\"field\":\"retry.maxAttempts\",\"from\":8,\"to\":20")
        .contains("\"field\":\"webhook.secret\",\"secret\":true,\"change\":\"secret changed\"")
        .doesNotContain(SECRET_A.substring(6), SECRET_B.substring(6));
  }

  @Test
  void pruneDeletesWhatTheStateDoesNotDeclareRulesBeforeTargetsBeforeBuses() {
    assertThat(admin.post("/v1/config/apply", desired("pr", 8, SECRET_A, false)).status())
        .isEqualTo(200);
    assertThat(admin.put("/v1/targets/pr-extra", "{\"type\": \"log\"}").status()).isEqualTo(200);
    String smaller =
        """
        {"buses": {}, "targets": {"pr-audit": {"type": "audit"}}, "rules": {}, "prune": %s}
        """;
    var withoutPrune = admin.post("/v1/config/plan", smaller.formatted(false));
    assertThat(changes(withoutPrune.body())).isEmpty();

    var pruned = admin.post("/v1/config/plan", smaller.formatted(true));
    List<String> deletes = changes(pruned.body());
    assertThat(deletes)
        .containsSubsequence(
            "delete rule pr-bus/big",
            "delete target pr-extra",
            "delete target pr-hook",
            "delete bus pr-bus")
        .doesNotContain("delete bus default", "delete key " + ADMIN.id());
    // other tests' objects are pruned too: apply only what this test made
    String own =
        """
        {"buses": {}, "targets": {"pr-audit": {"type": "audit"}}, "rules": {}, "prune": false}
        """;
    assertThat(admin.post("/v1/config/apply", own).status()).isEqualTo(200);
  }

  @Test
  void aWrongKeyIsRefusedAndChangesNothing() {
    var refused =
        admin
            .as("hk_cfgadmin.wrong-secret-0123456789")
            .post("/v1/config/apply", desired("wk", 8, SECRET_A, false));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.code()).isEqualTo("Unauthorized");
    assertThat(admin.get("/v1/buses/wk-bus").status()).isEqualTo(404);
    assertThat(admin.get("/v1/targets/wk-hook").status()).isEqualTo(404);
  }

  @Test
  void anApplyStoppedHalfWayLeavesNoRuleWithoutItsTargetsAndTheNextApplyConverges() {
    AtomicInteger made = new AtomicInteger();
    herald
        .configPlanner()
        .beforeEachChange(
            () -> {
              if (made.incrementAndGet() == 3) {
                throw new IllegalStateException("injected: the instance stopped");
              }
            });
    try {
      var stopped = admin.post("/v1/config/apply", desired("ha", 8, SECRET_A, false));
      assertThat(stopped.status()).isEqualTo(500);
    } finally {
      herald.configPlanner().beforeEachChange(() -> {});
    }
    assertThat(admin.get("/v1/buses/ha-bus").status()).isEqualTo(200);
    assertThat(admin.get("/v1/targets/ha-audit").status()).isEqualTo(200);
    assertThat(admin.get("/v1/targets/ha-hook").status()).isEqualTo(404);
    assertThat(admin.get("/v1/buses/ha-bus/rules/big").status()).isEqualTo(404);

    var rest = admin.post("/v1/config/plan", desired("ha", 8, SECRET_A, false));
    assertThat(changes(rest.body()))
        .containsExactly("create target ha-hook", "create rule ha-bus/big");
    assertThat(admin.post("/v1/config/apply", desired("ha", 8, SECRET_A, false)).status())
        .isEqualTo(200);
    assertThat(changes(admin.post("/v1/config/plan", desired("ha", 8, SECRET_A, false)).body()))
        .isEmpty();
  }

  @Test
  void badDesiredStatesAreRefusedNamingTheField() {
    var unknownTarget =
        admin.post(
            "/v1/config/plan",
            """
            {"rules": {"default/r": {"pattern": {"source": ["x"]}, "targets": [{"target": "nope-x"}]}}}
            """);
    assertThat(unknownTarget.status()).isEqualTo(400);
    assertThat(unknownTarget.body().at("/error/field").asText())
        .isEqualTo("rules.default/r.targets[0].target");

    var badField =
        admin.post(
            "/v1/config/plan",
            "{\"targets\": {\"t1\": {\"type\": \"log\", \"retry\": {\"maxAtempts\": 2}}}}");
    assertThat(badField.status()).isEqualTo(400);
    assertThat(badField.body().at("/error/field").asText())
        .isEqualTo("targets.t1.retry.maxAtempts");

    var key =
        admin.post(
            "/v1/config/apply",
            "{\"keys\": {\"svc\": {\"scopes\": [\"publish:orders\"], \"key\": \"hk_cfgsvc.svc-secret-0123456789abcdef\"}}}");
    assertThat(key.status()).as(key.raw().body()).isEqualTo(200);
    assertThat(admin.get("/v1/keys/hk_cfgsvc").body().path("name").asText()).isEqualTo("svc");
    var again =
        admin.post(
            "/v1/config/plan",
            "{\"keys\": {\"svc\": {\"scopes\": [\"publish:orders\"], \"key\": \"hk_cfgsvc.other-secret-0123456789abcdef\"}}}");
    assertThat(again.body().at("/changes/0/diffs").toString()).contains("secret changed");
    assertThat(again.raw().body()).doesNotContain("secret-0123456789");
  }

  @Test
  void serveAppliesADesiredStateWithoutDeleting() throws IOException {
    DesiredState state =
        DesiredState.parse(Json.MAPPER.readTree(desired("sv", 8, SECRET_A, true))).orThrow();
    var applied = herald.applyConfig(state);
    assertThat(applied.changes()).hasSize(4);
    assertThat(admin.get("/v1/targets/sv-hook").body().path("changedBy").asText())
        .isEqualTo("herald");
  }

  @Test
  void anApplyRefusesWildcardRulesThatTogetherExceedTheBusBound() {
    String pattern = "{\"source\": [{\"wildcard\": \"*a*b*c*\"}]}";
    int each = dev.herald.core.pattern.PatternCompiler.complexity(pattern);
    assertThat(each).isPositive();
    int count = dev.herald.core.pattern.PatternCompiler.MAX_BUS_COMPLEXITY / each + 1;
    StringBuilder rules = new StringBuilder();
    for (int i = 0; i < count; i++) {
      rules.append(i == 0 ? "" : ",").append("\"wild/w").append(i).append("\": {\"pattern\": ");
      rules.append(pattern).append('}');
    }
    var answer =
        admin.post("/v1/config/apply", "{\"buses\": {\"wild\": {}}, \"rules\": {" + rules + "}}");
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(400);
    assertThat(answer.body().at("/error/code").asText()).isEqualTo("InvalidPattern");
    assertThat(answer.body().at("/error/message").asText())
        .contains("too complex to match efficiently together");
  }
}
