package dev.herald.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.bench.load.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishAnswerTest {

  private static Outcome parse(String json) {
    return PublishAnswer.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void countsEventIdsAndTalliesErrorCodes() {
    Outcome o =
        parse(
            """
            {"failedEntryCount":2,"entries":[{"eventId":"01A"},
             {"errorCode":"EngineUnavailable","errorMessage":"x"},{"eventId":"01B"},
             {"errorCode":"EngineUnavailable","errorMessage":"y","field":null}]}""");

    assertThat(o).isEqualTo(new Outcome.Answered(2, 2, Map.of("EngineUnavailable", 2)));
  }

  @Test
  void aFailedCountThatDisagreesWithTheEntriesIsAFailure() {
    assertThat(parse("{\"failedEntryCount\":1,\"entries\":[{\"eventId\":\"01A\"}]}"))
        .isInstanceOf(Outcome.Failure.class);
  }

  @Test
  void garbageIsAFailure() {
    assertThat(parse("<html>")).isInstanceOf(Outcome.Failure.class);
  }
}
