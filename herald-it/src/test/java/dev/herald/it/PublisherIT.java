package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.client.HeraldClient;
import dev.herald.client.HeraldClientException;
import dev.herald.client.PublishEntry;
import dev.herald.client.Publisher;
import dev.herald.client.PublisherOptions;
import dev.herald.client.QueueMessage;
import dev.herald.client.Queues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java client against a running Herald (one for the class, auth on with a bootstrap key): the
 * batching publisher through a proxy that injects failures (a 503 after Herald stored the batch, a
 * connection dropped after Herald stored it, a 503 before), with no event stored twice; per-entry
 * errors in the futures; a queue's receive, visibility, nack and ack round trip.
 */
class PublisherIT {
  static final String ADMIN = "hk_pubit.publisher-it-secret-0123456789";

  static HeraldProcess herald;
  static FaultyProxy proxy;

  @BeforeAll
  static void start() throws IOException {
    herald =
        HeraldProcess.start(
            Files.createTempDirectory("herald-publisher-it").resolve("data"),
            Map.of("HERALD_BOOTSTRAP_KEY", ADMIN));
    herald.awaitReady(Duration.ofSeconds(90));
    proxy = new FaultyProxy(herald.url());
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (herald != null) {
      herald.close();
    }
  }

  private static HeraldClient client(String endpoint) {
    return HeraldClient.builder()
        .endpoint(endpoint)
        .key(ADMIN)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  @Test
  void retriedBatchesAreStoredOnceAndEveryFutureAnswersItsEvent() {
    admin("PUT", "/v1/buses/retries", "{}");
    // Herald stores the first batch but the answer is lost (503, then a dropped connection);
    // the next request is refused before Herald sees it; then the proxy recovers
    proxy.inject(Fault.FORWARD_THEN_503, Fault.FORWARD_THEN_DROP, Fault.REFUSE_503);
    List<CompletableFuture<String>> futures = new ArrayList<>();
    try (Publisher publisher =
        client(proxy.url())
            .publisher(
                PublisherOptions.defaults()
                    .withBatchSize(50)
                    .withLinger(Duration.ofMillis(20))
                    .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200)))) {
      for (int i = 0; i < 200; i++) {
        futures.add(
            publisher.publish(
                PublishEntry.of("publisher-it", "Numbered", "{\"n\":" + i + "}")
                    .onBus("retries")
                    .withOrderingKey("k-" + (i % 7))));
      }
    } // close flushes

    Set<String> ids = new HashSet<>();
    futures.forEach(f -> ids.add(f.join()));
    assertThat(ids).hasSize(200);
    assertThat(proxy.faultsUsed()).isEqualTo(3);
    assertThat(proxy.forwardedEventRequests()).isGreaterThan(proxy.answeredEventRequests());

    JsonNode stored = admin("GET", "/v1/events?bus=retries&limit=1000", null);
    Set<Integer> numbers = new HashSet<>();
    Set<String> storedIds = new HashSet<>();
    for (JsonNode event : stored.path("events")) {
      numbers.add(event.at("/detail/n").asInt());
      storedIds.add(event.get("id").asText());
    }
    assertThat(stored.path("events")).hasSize(200); // no duplicates
    assertThat(numbers).hasSize(200);
    assertThat(storedIds).isEqualTo(ids);
  }

  @Test
  void entryErrorsSurfaceInTheirOwnFutures() {
    try (Publisher publisher = client(herald.url()).publisher(PublisherOptions.defaults())) {
      CompletableFuture<String> good = publisher.publish(PublishEntry.of("it", "T", "{}"));
      CompletableFuture<String> noBus =
          publisher.publish(PublishEntry.of("it", "T", "{}").onBus("no-such-bus"));
      CompletableFuture<String> notObject = publisher.publish(PublishEntry.of("it", "T", "[1]"));
      publisher.flush();

      assertThat(good.join()).hasSize(26);
      assertThat(error(noBus).code()).isEqualTo("UnknownBus");
      assertThat(error(noBus).field()).isEqualTo("bus");
      assertThat(error(notObject).code()).isEqualTo("InvalidField");
      assertThat(error(notObject).field()).isEqualTo("detail");
    }
  }

  @Test
  void aWrongKeyFailsEveryFutureWithoutRetrying() {
    HeraldClient stranger =
        HeraldClient.builder()
            .endpoint(herald.url())
            .key("hk_pubit.wrong-secret-0123456789")
            .build();
    try (Publisher publisher = stranger.publisher(PublisherOptions.defaults())) {
      CompletableFuture<String> future = publisher.publish(PublishEntry.of("it", "T", "{}"));
      publisher.flush();
      assertThat(error(future).status()).isEqualTo(401);
    }
  }

  @Test
  void queueMessagesRoundTripThroughReceiveVisibilityNackAndAck() {
    admin("PUT", "/v1/buses/work", "{}");
    admin("PUT", "/v1/targets/jobs", "{\"type\":\"queue\",\"queue\":{\"visibilitySeconds\":30}}");
    admin(
        "PUT",
        "/v1/buses/work/rules/all-jobs",
        "{\"pattern\":{\"source\":[\"jobs\"]},\"targets\":[{\"target\":\"jobs\"}]}");
    HeraldClient client = client(herald.url());
    try (Publisher publisher = client.publisher(PublisherOptions.defaults())) {
      for (int i = 0; i < 3; i++) {
        publisher.publish(PublishEntry.of("jobs", "Job", "{\"job\":" + i + "}").onBus("work"));
      }
    }
    Queues queues = client.queues();

    List<QueueMessage> received = new ArrayList<>();
    for (int i = 0; i < 20 && received.size() < 3; i++) {
      received.addAll(queues.receive("jobs", 10, Duration.ofSeconds(5)));
    }
    assertThat(received).hasSize(3);
    assertThat(received).allSatisfy(m -> assertThat(m.receiveCount()).isEqualTo(1));
    Set<Integer> jobs = new HashSet<>();
    received.forEach(m -> jobs.add(m.event().at("/detail/job").asInt()));
    assertThat(jobs).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(client.queues().depth("jobs").path("inFlight").asInt()).isEqualTo(3);

    QueueMessage first = received.get(0);
    queues.changeVisibility("jobs", first.receiptHandle(), Duration.ofSeconds(60));
    Queues.Settled nacked = queues.nack("jobs", List.of(first.receiptHandle()), Duration.ZERO);
    assertThat(nacked.count()).isEqualTo(1);
    List<QueueMessage> again = queues.receive("jobs", 10, Duration.ofSeconds(5));
    assertThat(again)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.messageId()).isEqualTo(first.messageId());
              assertThat(m.receiveCount()).isEqualTo(2);
            });

    List<String> handles = new ArrayList<>(List.of(again.get(0).receiptHandle()));
    handles.add(received.get(1).receiptHandle());
    handles.add(received.get(2).receiptHandle());
    handles.add(first.receiptHandle()); // its lease ended with the nack
    Queues.Settled acked = queues.ack("jobs", handles);
    assertThat(acked.count()).isEqualTo(3);
    assertThat(acked.failed())
        .singleElement()
        .satisfies(f -> assertThat(f.receiptHandle()).isEqualTo(first.receiptHandle()));
    JsonNode depth = queues.depth("jobs");
    assertThat(depth.path("visible").asInt()).isZero();
    assertThat(depth.path("inFlight").asInt()).isZero();

    assertThatThrownBy(() -> queues.receive("no-such-queue", 1, Duration.ZERO))
        .isInstanceOfSatisfying(
            HeraldClientException.class, e -> assertThat(e.code()).isEqualTo("QueueNotFound"));
  }

  private static HeraldClientException error(CompletableFuture<String> future) {
    try {
      future.join();
      throw new AssertionError("completed normally: " + future.join());
    } catch (CompletionException e) {
      return (HeraldClientException) e.getCause();
    }
  }

  /** An admin request straight to Herald; fails the test unless it answers 2xx. */
  private static JsonNode admin(String method, String path, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(herald.uri(path)).header("Authorization", "Bearer " + ADMIN);
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    try {
      HttpResponse<String> response =
          HeraldProcess.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
      return HeraldProcess.json(response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  enum Fault {
    /** Herald stores the batch; the client gets a 503 instead of the answer. */
    FORWARD_THEN_503,
    /** Herald stores the batch; the client's connection is closed without an answer. */
    FORWARD_THEN_DROP,
    /** The client gets a 503; Herald never sees the request. */
    REFUSE_503
  }

  /**
   * A real HTTP proxy on 127.0.0.1 in front of Herald that applies the injected faults, one per
   * {@code POST /v1/events}, then forwards faithfully.
   */
  static final class FaultyProxy implements AutoCloseable {
    private final HttpServer server;
    private final String target;
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger used = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();

    FaultyProxy(String target) throws IOException {
      this.target = target;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/", this::handle);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void inject(Fault... next) {
      faults.addAll(List.of(next));
    }

    int faultsUsed() {
      return used.get();
    }

    int forwardedEventRequests() {
      return forwarded.get();
    }

    int answeredEventRequests() {
      return answered.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
      byte[] body = exchange.getRequestBody().readAllBytes();
      boolean publish =
          exchange.getRequestMethod().equals("POST")
              && exchange.getRequestURI().getPath().equals("/v1/events");
      Optional<Fault> fault = publish ? Optional.ofNullable(faults.poll()) : Optional.empty();
      fault.ifPresent(f -> used.incrementAndGet());
      if (fault.isPresent() && fault.get() == Fault.REFUSE_503) {
        answer(exchange, 503, unavailable());
        return;
      }
      HttpResponse<byte[]> response = forward(exchange, body);
      if (publish) {
        forwarded.incrementAndGet();
      }
      if (fault.isPresent() && fault.get() == Fault.FORWARD_THEN_503) {
        answer(exchange, 503, unavailable());
      } else if (fault.isPresent() && fault.get() == Fault.FORWARD_THEN_DROP) {
        exchange.close(); // before any response header: the client's connection just ends
      } else {
        if (publish) {
          answered.incrementAndGet();
        }
        answer(exchange, response.statusCode(), response.body());
      }
    }

    private static byte[] unavailable() {
      return "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"injected by the test\"}}"
          .getBytes(StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
              .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      for (String name : List.of("Authorization", "Content-Type")) {
        String value = exchange.getRequestHeaders().getFirst(name);
        if (value != null) {
          request.header(name, value);
        }
      }
      try {
        return HeraldProcess.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
