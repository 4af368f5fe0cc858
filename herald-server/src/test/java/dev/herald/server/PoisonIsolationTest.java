package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.secret.SecretBox;
import dev.herald.core.testing.TestPostgres;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A row the store cannot keep fails alone, at once, as a dead letter with the code {@code
 * Unstorable}: PostgreSQL refuses a NUL character in text, and a rule's text template can put one
 * in a queue message. The events published with it are queued as usual.
 */
class PoisonIsolationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aMessageThePostgresStoreRefusesIsAnUnstorableDeadLetterAndItsBatchMatesAreQueued() {
    String key = Base64.getEncoder().encodeToString(SecretBox.newKey(new SecureRandom()));
    try (TestPostgres.Schema schema = TestPostgres.get().createSchema();
        Herald herald =
            Herald.start(
                new HeraldConfig(
                    TestHerald.tempDir(),
                    "127.0.0.1",
                    0,
                    false,
                    Optional.empty(),
                    Optional.of(schema.jdbcUrl()),
                    2,
                    Optional.of(key)))) {
      var target = put(herald, "/v1/targets/jobs", "{'type':'queue','retry':{'maxAttempts':5}}");
      assertThat(target.status()).as(String.valueOf(target.body())).isEqualTo(200);
      var rule =
          put(
              herald,
              "/v1/buses/default/rules/jobs",
              "{'pattern':{'source':['poison']},'targets':[{'target':'jobs','inputTransformer':"
                  + "{'paths':{'v':'$.detail.v'},'template':'v=<v>'}}]}");
      assertThat(rule.status()).as(String.valueOf(rule.body())).isEqualTo(200);

      JsonNode published =
          postJson(
                  herald,
                  "{'entries':["
                      + "{'source':'poison','detailType':'Job','detail':{'v':'one'}},"
                      + "{'source':'poison','detailType':'Job','detail':{'v':'a\\u0000b'}},"
                      + "{'source':'poison','detailType':'Job','detail':{'v':'three'}}]}")
              .body();
      assertThat(published.get("failedEntryCount").asInt()).as(published.toString()).isZero();
      String poison = published.at("/entries/1/eventId").asText();

      await().atMost(WAIT).until(() -> deadLetters(herald).size() == 1);
      JsonNode letter = deadLetters(herald).get(0);
      assertThat(letter.get("eventId").asText()).isEqualTo(poison);
      assertThat(letter.at("/error/code").asText()).isEqualTo("Unstorable");
      assertThat(letter.at("/error/message").asText()).contains("refused");

      List<String> bodies = new ArrayList<>();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                var answer =
                    postJson(herald, "/v1/queues/jobs/receive", "{'max':10,'waitSeconds':1}");
                answer.body().get("messages").forEach(m -> bodies.add(m.get("event").asText()));
                return bodies.size() >= 2;
              });
      assertThat(bodies).containsExactlyInAnyOrder("v=one", "v=three");

      JsonNode journey = get(herald, "/v1/events/" + poison).body();
      assertThat(journey.at("/deliveries/0/attempts").asInt()).as(journey.toString()).isEqualTo(1);
    }
  }

  private static JsonNode deadLetters(Herald herald) {
    return get(herald, "/v1/targets/jobs/dlq").body().get("entries");
  }
}
