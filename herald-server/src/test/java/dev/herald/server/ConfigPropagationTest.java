package dev.herald.server;

import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.secret.SecretBox;
import dev.herald.core.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Two instances on one store and one broker: a change made through one is applied by the other. */
class ConfigPropagationTest {

  @Test
  void aRuleCreatedOnOneInstanceRoutesOnTheOther() {
    String key = Base64.getEncoder().encodeToString(SecretBox.newKey(new SecureRandom()));
    try (TestPostgres.Schema schema = TestPostgres.get().createSchema();
        Herald first = Herald.start(config(TestHerald.tempDir(), Optional.empty(), schema, key));
        Herald second =
            Herald.start(
                config(TestHerald.tempDir(), Optional.of(first.kafkaBootstrap()), schema, key))) {
      var target = put(first, "/v1/targets/shared", "{'type':'log'}");
      assertThat(target.status()).as(target.body().toString()).isEqualTo(200);
      var rule =
          put(
              first,
              "/v1/buses/default/rules/everything",
              "{'pattern':{'source':['two.instances']},'targets':[{'target':'shared'}]}");
      assertThat(rule.status()).as(rule.body().toString()).isEqualTo(200);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> metrics(second).contains("herald_config_propagation_seconds_count"));
      // both instances route the bus (its partitions are split between them): every event must
      // be routed, so the second instance must have applied the rule made on the first
      Set<String> published = new HashSet<>();
      for (int i = 0; i < 40; i++) {
        Herald via = i % 2 == 0 ? first : second;
        var answer =
            postJson(
                via,
                "{'entries':[{'source':'two.instances','detailType':'T','orderingKey':'k"
                    + i
                    + "','detail':{}}]}");
        published.add(answer.body().at("/entries/0/eventId").asText());
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(TargetTopics.read(first.kafkaBootstrap(), "shared"))
                      .extracting(TargetTopics.Routed::eventId)
                      .containsAll(published));
    }
  }

  private static HeraldConfig config(
      java.nio.file.Path dir, Optional<String> bootstrap, TestPostgres.Schema schema, String key) {
    return new HeraldConfig(
        dir, "127.0.0.1", 0, false, bootstrap, Optional.of(schema.jdbcUrl()), 4, Optional.of(key));
  }

  private static String metrics(Herald herald) {
    return new String(TestHerald.get(herald, "/metrics").raw().body(), StandardCharsets.UTF_8);
  }
}
