package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engine.broker.EmbeddedConfig;
import dev.herald.engine.broker.Engine;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartTest {

  @Test
  void eventsAndClientIdsSurviveARestartOnTheSameDataDir() {
    Path dir = TestHerald.tempDir();
    String entry = "{'entries':[{'source':'s','detailType':'T','detail':{'n':7},'id':'once'}]}";
    String id;
    try (Herald first = Herald.start(HeraldConfig.embedded(dir).withPort(0))) {
      id = postJson(first, entry).body().at("/entries/0/eventId").asText();
    }
    try (Herald second = Herald.start(HeraldConfig.embedded(dir).withPort(0))) {
      assertThat(get(second, "/v1/events/" + id).body().at("/event/detail/n").asInt()).isEqualTo(7);
      assertThat(postJson(second, entry).body().at("/entries/0/eventId").asText()).isEqualTo(id);
    }
  }

  @Test
  void engineOutageAnswers503WithRetryAfterAndNeverClaimsAStoredEvent() {
    Path dir = TestHerald.tempDir();
    Engine broker = Engine.embedded(EmbeddedConfig.of(dir.resolve("external")));
    HeraldConfig config =
        new HeraldConfig(
            dir,
            "127.0.0.1",
            0,
            false,
            Optional.of(broker.bootstrapServers()),
            Optional.empty(),
            2,
            Optional.empty());
    try (Herald herald = Herald.start(config)) {
      String ok = "{'entries':[{'source':'s','detailType':'T','detail':{}}]}";
      assertThat(postJson(herald, ok).status()).isEqualTo(200);

      broker.close();

      var answer = postJson(herald, ok);
      assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(503);
      assertThat(answer.header("Retry-After")).isNotBlank();
      assertThat(answer.body().at("/error/code").asText()).isEqualTo("ServiceUnavailable");
      assertThat(get(herald, "/health/ready").status()).isEqualTo(503);
    } finally {
      broker.close();
    }
  }
}
