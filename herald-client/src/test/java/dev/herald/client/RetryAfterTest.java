package dev.herald.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher honours {@code Retry-After} on a 429 or 503: against a real HTTP server on loopback
 * that answers {@code POST /v1/events} as scripted, the publisher (on a clock the test moves) waits
 * what the server asked for, at most its maximum backoff, before sending the batch again.
 */
class RetryAfterTest {
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

  private record Answer(int status, Optional<String> retryAfter) {}

  private final Deque<Answer> answers = new ArrayDeque<>();
  private final List<Instant> requests = new CopyOnWriteArrayList<>();
  private final PublisherTest.FakeClock clock = new PublisherTest.FakeClock();
  private HttpServer server;
  private HeraldClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/events", this::answer);
    server.start();
    client =
        HeraldClient.builder()
            .endpoint("http://127.0.0.1:" + server.getAddress().getPort())
            .build();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.add(clock.instant());
    exchange.getRequestBody().readAllBytes();
    Answer answer = answers.isEmpty() ? new Answer(200, Optional.empty()) : answers.removeFirst();
    String body =
        answer.status() == 200
            ? "{\"failedEntryCount\":0,\"entries\":[{\"eventId\":\"E1\"}]}"
            : "{\"error\":{\"code\":\"Throttled\",\"message\":\"slow down\"}}";
    answer.retryAfter().ifPresent(v -> exchange.getResponseHeaders().add("Retry-After", v));
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    byte[] bytes = body.getBytes(UTF_8);
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private Publisher publisher() {
    PublisherOptions options =
        PublisherOptions.defaults()
            .withBatchSize(1)
            .withMaxAttempts(3)
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(10));
    return new Publisher(client::publish, options, clock, new SplittableRandom(7));
  }

  /** Steps the publisher until its entry is settled; returns each wait it asked for. */
  private List<Duration> publishOne(Publisher publisher) throws Exception {
    CompletableFuture<String> future = publisher.publish(PublishEntry.of("test", "T", "{\"n\":1}"));
    List<Duration> waits = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 20 && !future.isDone(); i++) {
      Optional<Duration> wait = publisher.runOnce();
      if (wait.isPresent() && !wait.get().isZero()) {
        waits.add(wait.get());
        clock.advance(wait.get());
      }
    }
    assertThat(future.get()).isEqualTo("E1");
    return waits;
  }

  @Test
  void a429WithRetryAfterSecondsIsSentAgainAfterThatWait() throws Exception {
    answers.add(new Answer(429, Optional.of("3")));
    List<Duration> waits = publishOne(publisher());
    assertThat(requests).hasSize(2);
    assertThat(Duration.between(requests.get(0), requests.get(1))).isEqualTo(Duration.ofSeconds(3));
    assertThat(waits).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void a503WithRetryAfterBeyondTheMaximumBackoffWaitsTheMaximum() throws Exception {
    answers.add(new Answer(503, Optional.of("3600")));
    publishOne(publisher());
    assertThat(requests).hasSize(2);
    assertThat(Duration.between(requests.get(0), requests.get(1)))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aRetryAfterDateFarAheadIsCappedByTheMaximumBackoff() throws Exception {
    String date =
        HTTP_DATE.format(Instant.now().plus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC));
    answers.add(new Answer(429, Optional.of(date)));
    publishOne(publisher());
    assertThat(Duration.between(requests.get(0), requests.get(1)))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void withoutRetryAfterTheBackoffIsTheUsualOne() throws Exception {
    answers.add(new Answer(429, Optional.empty()));
    publishOne(publisher());
    Duration waited = Duration.between(requests.get(0), requests.get(1));
    assertThat(waited).isBetween(Duration.ofMillis(50), Duration.ofMillis(100)); // half to all
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDateAndIgnoredOtherwise() {
    Instant now = Instant.parse("2026-12-07T10:00:00Z");
    assertThat(HeraldClient.retryAfter("7", now)).contains(Duration.ofSeconds(7));
    assertThat(HeraldClient.retryAfter(" 0 ", now)).contains(Duration.ZERO);
    assertThat(HeraldClient.retryAfter("Mon, 07 Dec 2026 10:00:05 GMT", now))
        .contains(Duration.ofSeconds(5));
    assertThat(HeraldClient.retryAfter("Mon, 07 Dec 2026 09:59:00 GMT", now))
        .contains(Duration.ZERO);
    assertThat(HeraldClient.retryAfter("soon", now)).isEmpty();
    assertThat(HeraldClient.retryAfter("-3", now)).isEmpty();
    assertThat(HeraldClient.retryAfter("99999999999999999999999", now).orElseThrow())
        .isGreaterThan(Duration.ofDays(365));
  }
}
