package dev.herald.bench.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.event.EventId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReceiverTest {

  @Test
  void readsTheIngestionTimeFromHeraldsEventIdOrThePublishTime() {
    String id = new EventId(1_700_000_000_123L, 0, 2, 42).toString();

    assertThat(Receiver.ingestedAt(id, null)).isEqualTo(OptionalLong.of(1_700_000_000_123L));
    assertThat(Receiver.ingestedAt(null, "1700000000456"))
        .isEqualTo(OptionalLong.of(1_700_000_000_456L));
    assertThat(Receiver.ingestedAt(null, "soon")).isEmpty();
    assertThat(Receiver.ingestedAt(null, null)).isEmpty();
  }

  @Test
  void countsHooksAndAnswersFailAndSlowAsConfigured() throws Exception {
    try (Receiver receiver = Receiver.start(500, Duration.ofMillis(50))) {
      HttpClient http = HttpClient.newHttpClient();
      receiver.measure();

      int hook = post(http, receiver.url("/hook"), System.currentTimeMillis() - 5);
      int fail = post(http, receiver.url("/fail"), System.currentTimeMillis());
      int slow = post(http, receiver.url("/slow"), System.currentTimeMillis());

      assertThat(hook).isEqualTo(204);
      assertThat(fail).isEqualTo(500);
      assertThat(slow).isEqualTo(204);
      assertThat(receiver.received()).isEqualTo(1);
      assertThat(receiver.failed()).isEqualTo(1);
      assertThat(receiver.slowAnswered()).isEqualTo(1);
      assertThat(receiver.stopMeasuring().getTotalCount()).isEqualTo(1);
    }
  }

  private static int post(HttpClient http, String url, long publishedAt) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("bench-published-at", Long.toString(publishedAt))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
