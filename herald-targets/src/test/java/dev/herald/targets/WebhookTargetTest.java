package dev.herald.targets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.json.Json;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookTargetTest {
  static final TargetContext DEV =
      new TargetContext(InstantSource.system(), true, Set.of(), Path.of("plugins"));
  static final String ENVELOPE = "{\"id\":\"evt-1\",\"detail\":{\"order\":42}}";

  Receiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new Receiver();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  static Target webhook(String settings, TargetContext context) {
    JsonNode json = Json.MAPPER.createObjectNode();
    try {
      json = Json.MAPPER.readTree("{\"type\": \"webhook\", \"webhook\": " + settings + "}");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return Targets.create(TargetSpecs.parse("orders-hook", json), context);
  }

  Target webhookTo(String path, String extra) {
    return webhook("{\"url\": \"" + receiver.url(path) + "\"" + extra + "}", DEV);
  }

  static Delivery delivery(int attempt, Duration timeout) {
    return new Delivery(
        "dk-123",
        "evt-1",
        "big-orders",
        attempt,
        ENVELOPE.getBytes(UTF_8),
        true,
        Optional.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        Instant.now().plus(timeout));
  }

  static Delivery delivery() {
    return delivery(1, Duration.ofSeconds(10));
  }

  static String secret(String seed) {
    return "whsec_"
        + Base64.getEncoder().encodeToString((seed + "-0123456789abcdef").getBytes(UTF_8));
  }

  @Test
  void twoHundredIsDeliveredWithBodyAndHeraldHeaders() {
    try (Target target = webhookTo("/hook", ", \"headers\": {\"X-Team\": \"orders\"}")) {
      assertThat(target.deliver(delivery(3, Duration.ofSeconds(10))))
          .isEqualTo(new Outcome.Delivered());
    }
    Receiver.Received r = receiver.received().getFirst();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(new String(r.body(), UTF_8)).isEqualTo(ENVELOPE);
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("webhook-id")).isEqualTo("dk-123");
    assertThat(Long.parseLong(r.header("webhook-timestamp")))
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(5L));
    assertThat(r.header("webhook-signature")).isNull(); // no secret configured
    assertThat(r.header("herald-event-id")).isEqualTo("evt-1");
    assertThat(r.header("herald-rule")).isEqualTo("big-orders");
    assertThat(r.header("herald-attempt")).isEqualTo("3");
    assertThat(r.header("traceparent")).startsWith("00-4bf92f35");
    assertThat(r.header("X-Team")).isEqualTo("orders");
    assertThat(r.header("Host")).isEqualTo("127.0.0.1:" + receiver.port());
  }

  @Test
  void plainTextInputIsSentAsTextPlainWithTheConfiguredMethod() {
    Delivery d = delivery();
    Delivery text =
        new Delivery(
            d.deliveryKey(),
            d.eventId(),
            d.rule(),
            1,
            "hello".getBytes(UTF_8),
            false,
            Optional.empty(),
            d.deadline());
    try (Target target = webhookTo("/hook", ", \"method\": \"put\"")) {
      assertThat(target.deliver(text)).isInstanceOf(Outcome.Delivered.class);
    }
    Receiver.Received r = receiver.received().getFirst();
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.header("Content-Type")).startsWith("text/plain");
    assertThat(r.header("traceparent")).isNull();
  }

  @Test
  void signatureVerifiesWithEachRotatedSecret() throws Exception {
    String oldSecret = secret("old");
    String newSecret = secret("new");
    try (Target target =
        webhookTo("/hook", ", \"secret\": [\"" + newSecret + "\", \"" + oldSecret + "\"]")) {
      assertThat(target.deliver(delivery())).isInstanceOf(Outcome.Delivered.class);
    }
    Receiver.Received r = receiver.received().getFirst();
    String[] signatures = r.header("webhook-signature").split(" ");
    assertThat(signatures).hasSize(2);
    assertThat(StandardWebhooks.verify(newSecret, r)).isTrue();
    assertThat(StandardWebhooks.verify(oldSecret, r)).isTrue();
    assertThat(StandardWebhooks.verify(secret("other"), r)).isFalse();
  }

  /** An independent verifier, written from the Standard Webhooks specification. */
  static final class StandardWebhooks {
    static boolean verify(String secret, Receiver.Received r) throws Exception {
      byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
      String signed = r.header("webhook-id") + "." + r.header("webhook-timestamp") + ".";
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(signed.getBytes(UTF_8));
      String expected = Base64.getEncoder().encodeToString(mac.doFinal(r.body()));
      for (String versioned : r.header("webhook-signature").split(" ", -1)) {
        String[] parts = versioned.split(",", 2);
        if (parts[0].equals("v1")
            && java.security.MessageDigest.isEqual(
                parts[1].getBytes(UTF_8), expected.getBytes(UTF_8))) {
          return true;
        }
      }
      return false;
    }
  }

  @Test
  void serverErrorIsRetriedWithItsStatusCode() {
    receiver.on("/hook", r -> new Receiver.Answer(500, Map.of(), "database down", 0));
    try (Target target = webhookTo("/hook", "")) {
      Outcome outcome = target.deliver(delivery());
      assertThat(outcome).isInstanceOf(Outcome.Retry.class);
      Outcome.Retry retry = (Outcome.Retry) outcome;
      assertThat(retry.code()).isEqualTo("HttpStatus500");
      assertThat(retry.message()).contains("database down");
      assertThat(retry.retryAfter()).isEmpty();
    }
  }

  @Test
  void serviceUnavailableHonoursRetryAfterSeconds() {
    receiver.on("/hook", r -> new Receiver.Answer(503, Map.of("Retry-After", "7"), "", 0));
    try (Target target = webhookTo("/hook", "")) {
      Outcome.Retry retry = (Outcome.Retry) target.deliver(delivery());
      assertThat(retry.code()).isEqualTo("HttpStatus503");
      assertThat(retry.retryAfter()).contains(Duration.ofSeconds(7));
    }
  }

  @Test
  void tooManyRequestsHonoursRetryAfterHttpDate() {
    String in90s =
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(90));
    receiver.on("/hook", r -> new Receiver.Answer(429, Map.of("Retry-After", in90s), "", 0));
    try (Target target = webhookTo("/hook", "")) {
      Outcome.Retry retry = (Outcome.Retry) target.deliver(delivery());
      assertThat(retry.code()).isEqualTo("HttpStatus429");
      assertThat(retry.retryAfter().orElseThrow())
          .isBetween(Duration.ofSeconds(80), Duration.ofSeconds(91));
    }
  }

  @Test
  void badRequestIsPermanent() {
    receiver.on("/hook", r -> Receiver.Answer.of(400));
    try (Target target = webhookTo("/hook", "")) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Permanent.class, p -> assertThat(p.code()).isEqualTo("HttpStatus400"));
    }
  }

  @Test
  void goneIsGone() {
    receiver.on("/hook", r -> Receiver.Answer.of(410));
    try (Target target = webhookTo("/hook", "")) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Gone.class, g -> assertThat(g.code()).isEqualTo("HttpStatus410"));
    }
  }

  @Test
  void slowReceiverPastTheDeadlineIsRetriedAsTimeout() {
    receiver.on("/slow", r -> new Receiver.Answer(200, Map.of(), "", 5_000));
    try (Target target = webhookTo("/slow", "")) {
      Outcome outcome = target.deliver(delivery(1, Duration.ofMillis(300)));
      assertThat(outcome)
          .isInstanceOfSatisfying(
              Outcome.Retry.class, r -> assertThat(r.code()).isEqualTo("Timeout"));
    }
  }

  @Test
  void closedPortIsRetriedAsConnectionFailed() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (Target target = webhook("{\"url\": \"http://127.0.0.1:" + port + "/hook\"}", DEV)) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Retry.class, r -> assertThat(r.code()).isEqualTo("ConnectionFailed"));
    }
  }

  @Test
  void sequentialDeliveriesReuseOneKeptAliveConnection() {
    try (Target target = webhookTo("/hook", "")) {
      for (int i = 0; i < 5; i++) {
        assertThat(target.deliver(delivery())).isInstanceOf(Outcome.Delivered.class);
      }
    }
    assertThat(receiver.received("/hook")).hasSize(5);
    assertThat(receiver.received("/hook").stream().map(Receiver.Received::remotePort).distinct())
        .hasSize(1);
  }

  @Test
  void connectionClosedByTheServerWhileIdleIsReplacedWithoutFailingTheDelivery() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Target target =
            webhook("{\"url\": \"http://127.0.0.1:" + server.getLocalPort() + "/hook\"}", DEV)) {
      AtomicInteger connections = new AtomicInteger();
      Thread.ofVirtual().start(() -> answerOncePerConnection(server, connections));
      for (int i = 0; i < 3; i++) {
        assertThat(target.deliver(delivery())).isInstanceOf(Outcome.Delivered.class);
      }
      assertThat(connections).hasValue(3);
    }
  }

  /** A keep-alive server that nonetheless closes each connection after one answer. */
  private static void answerOncePerConnection(ServerSocket server, AtomicInteger connections) {
    while (!server.isClosed()) {
      try (java.net.Socket socket = server.accept()) {
        connections.incrementAndGet();
        var in =
            new java.io.BufferedReader(
                new java.io.InputStreamReader(socket.getInputStream(), UTF_8));
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
          if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).strip());
          }
        }
        in.skip(length);
        socket
            .getOutputStream()
            .write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(UTF_8));
        socket.getOutputStream().flush();
      } catch (java.io.IOException e) {
        return; // the server socket was closed: the test is over
      }
    }
  }

  @Test
  void redirectIsNotFollowed() {
    receiver.on(
        "/hook", r -> new Receiver.Answer(302, Map.of("Location", receiver.url("/else")), "", 0));
    try (Target target = webhookTo("/hook", "")) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Permanent.class,
              p -> {
                assertThat(p.code()).isEqualTo("HttpStatus302");
                assertThat(p.message()).contains("not followed");
              });
    }
    assertThat(receiver.received("/else")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://10.0.0.1/hook",
        "http://172.20.1.1/hook",
        "http://192.168.1.10:8080/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00::1]/hook",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[fe80::1]/hook",
        "http://0.0.0.0/hook",
        "https://10.1.2.3/hook"
      })
  void literalPrivateLinkLocalAndMetadataAddressesAreRefusedWhenStored(String url) {
    assertThatThrownBy(() -> webhook("{\"url\": \"" + url + "\"}", DEV).close())
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> {
              assertThat(e.field()).isEqualTo("webhook.url");
              assertThat(e.code()).isEqualTo("ForbiddenAddress");
            });
  }

  @Test
  void literalForbiddenOAuthTokenUrlIsRefusedWhenStored() {
    String auth =
        "{\"url\": \"https://hooks.example.com/h\", \"auth\": {\"oauth\": {\"tokenUrl\":"
            + " \"http://[::ffff:169.254.169.254]/token\", \"clientId\": \"c\","
            + " \"clientSecret\": \"s\"}}}";
    assertThatThrownBy(() -> webhook(auth, DEV).close())
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> assertThat(e.field()).isEqualTo("webhook.auth.oauth.tokenUrl"));
  }

  @Test
  void loopbackIsRefusedUnlessHeraldIsOnLoopbackOrTheHostIsAllowListed() {
    TargetContext production =
        new TargetContext(InstantSource.system(), false, Set.of(), Path.of("plugins"));
    assertThatThrownBy(() -> webhook("{\"url\": \"" + receiver.url("/hook") + "\"}", production))
        .isInstanceOf(ConfigException.Invalid.class); // a literal: refused when stored
    String byName = "http://localhost:" + receiver.port() + "/hook"; // a name: at delivery
    try (Target target = webhook("{\"url\": \"" + byName + "\"}", production)) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Permanent.class, p -> assertThat(p.code()).isEqualTo("ForbiddenAddress"));
    }
    assertThat(receiver.received()).isEmpty();

    TargetContext listed =
        new TargetContext(InstantSource.system(), false, Set.of("LocalHost"), Path.of("plugins"));
    String url = "http://localhost:" + receiver.port() + "/hook";
    try (Target target = webhook("{\"url\": \"" + url + "\"}", listed)) {
      assertThat(target.deliver(delivery())).isInstanceOf(Outcome.Delivered.class);
    }
    assertThat(receiver.received().getFirst().header("Host"))
        .isEqualTo("localhost:" + receiver.port());
  }

  @Test
  void basicAuthSendsTheEncodedCredentials() {
    String auth = ", \"auth\": {\"basic\": {\"username\": \"herald\", \"password\": \"s3cret\"}}";
    try (Target target = webhookTo("/hook", auth)) {
      assertThat(target.deliver(delivery())).isInstanceOf(Outcome.Delivered.class);
    }
    String expected = Base64.getEncoder().encodeToString("herald:s3cret".getBytes(UTF_8));
    assertThat(receiver.received().getFirst().header("Authorization"))
        .isEqualTo("Basic " + expected);
  }

  @Test
  void bearerAuthSendsTheToken() {
    try (Target target = webhookTo("/hook", ", \"auth\": {\"bearer\": \"tok-static\"}")) {
      assertThat(target.deliver(delivery())).isInstanceOf(Outcome.Delivered.class);
    }
    assertThat(receiver.received().getFirst().header("Authorization"))
        .isEqualTo("Bearer tok-static");
  }

  String oauth() {
    return ", \"auth\": {\"oauth\": {\"tokenUrl\": \""
        + receiver.url("/token")
        + "\", \"clientId\": \"herald\", \"clientSecret\": \"c s&cret\", \"scope\": \"hooks\"}}";
  }

  Receiver.Handler tokenEndpoint(AtomicInteger issued) {
    return r ->
        new Receiver.Answer(
            200,
            Map.of("Content-Type", "application/json"),
            "{\"access_token\": \"tok-"
                + issued.incrementAndGet()
                + "\", \"token_type\": \"Bearer\", \"expires_in\": 3600}",
            0);
  }

  @Test
  void oauthTokenIsFetchedOnceAndReusedAcrossDeliveries() {
    AtomicInteger issued = new AtomicInteger();
    receiver.on("/token", tokenEndpoint(issued));
    try (Target target = webhookTo("/hook", oauth())) {
      for (int i = 0; i < 3; i++) {
        assertThat(target.deliver(delivery())).isInstanceOf(Outcome.Delivered.class);
      }
    }
    assertThat(receiver.received("/token")).hasSize(1);
    String form = new String(receiver.received("/token").getFirst().body(), UTF_8);
    assertThat(form)
        .contains("grant_type=client_credentials")
        .contains("client_id=herald")
        .contains("client_secret=c+s%26cret")
        .contains("scope=hooks");
    assertThat(receiver.received("/hook"))
        .extracting(r -> r.header("Authorization"))
        .containsOnly("Bearer tok-1");
  }

  @Test
  void oauthTokenIsFetchedAgainOnceAfterA401() {
    AtomicInteger issued = new AtomicInteger();
    receiver.on("/token", tokenEndpoint(issued));
    receiver.on(
        "/hook",
        r -> Receiver.Answer.of("Bearer tok-1".equals(r.header("Authorization")) ? 401 : 200));
    try (Target target = webhookTo("/hook", oauth())) {
      assertThat(target.deliver(delivery())).isInstanceOf(Outcome.Delivered.class);
      assertThat(target.deliver(delivery())).isInstanceOf(Outcome.Delivered.class);
    }
    assertThat(receiver.received("/token")).hasSize(2);
    List<String> auths = new ArrayList<>();
    receiver.received("/hook").forEach(r -> auths.add(r.header("Authorization")));
    assertThat(auths).containsExactly("Bearer tok-1", "Bearer tok-2", "Bearer tok-2");
  }

  @Test
  void persistentOauthRejectionIsPermanentAfterOneRefresh() {
    AtomicInteger issued = new AtomicInteger();
    receiver.on("/token", tokenEndpoint(issued));
    receiver.on("/hook", r -> Receiver.Answer.of(401));
    try (Target target = webhookTo("/hook", oauth())) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Permanent.class, p -> assertThat(p.code()).isEqualTo("HttpStatus401"));
    }
    assertThat(receiver.received("/token")).hasSize(2);
    assertThat(receiver.received("/hook")).hasSize(2);
  }

  @Test
  void failingTokenEndpointIsRetried() {
    receiver.on("/token", r -> Receiver.Answer.of(503));
    try (Target target = webhookTo("/hook", oauth())) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Retry.class, r -> assertThat(r.code()).isEqualTo("HttpStatus503"));
    }
    assertThat(receiver.received("/hook")).isEmpty();
  }

  @Test
  void invalidSettingsAreRejectedNamingTheField() {
    assertThatThrownBy(() -> webhookTo("/hook", ", \"secret\": \"whsec_not base64!\""))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("webhook.secret"));
    assertThatThrownBy(() -> webhookTo("/hook", ", \"headers\": {\"Host\": \"evil\"}"))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> assertThat(e.field()).isEqualTo("webhook.headers.Host"));
    assertThatThrownBy(() -> webhookTo("/hook", ", \"auth\": {\"bearer\": 42}"))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> assertThat(e.field()).isEqualTo("webhook.auth.bearer"));
  }

  @Test
  void cloudeventsFormatSendsTheEnvelopeAsAStructuredCloudEvent() throws Exception {
    String envelope =
        "{\"version\":\"0\",\"id\":\"evt-1\",\"detail-type\":\"OrderPlaced\","
            + "\"source\":\"shop.orders\",\"account\":\"000000000000\","
            + "\"time\":\"2026-11-26T10:00:00Z\",\"region\":\"local\","
            + "\"resources\":[\"arn:order/42\"],\"detail\":{\"order\":42}}";
    Delivery delivery =
        new Delivery(
            "dk-123",
            "evt-1",
            "big-orders",
            1,
            envelope.getBytes(UTF_8),
            true,
            Optional.empty(),
            Instant.now().plusSeconds(10));
    try (Target target = webhookTo("/hook", ", \"format\": \"cloudevents\"")) {
      assertThat(target.deliver(delivery)).isInstanceOf(Outcome.Delivered.class);
    }
    Receiver.Received got = receiver.received("/hook").get(0);
    assertThat(got.header("Content-Type")).isEqualTo("application/cloudevents+json");
    JsonNode event = Json.MAPPER.readTree(got.body());
    assertThat(event.get("specversion").asText()).isEqualTo("1.0");
    assertThat(event.get("id").asText()).isEqualTo("evt-1");
    assertThat(event.get("source").asText()).isEqualTo("shop.orders");
    assertThat(event.get("type").asText()).isEqualTo("OrderPlaced");
    assertThat(event.get("time").asText()).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(event.get("subject").asText()).isEqualTo("arn:order/42");
    assertThat(event.get("data")).isEqualTo(Json.MAPPER.readTree("{\"order\":42}"));
    assertThat(event.get("heraldrule").asText()).isEqualTo("big-orders");
    assertThat(got.header("webhook-id")).isEqualTo("dk-123");
  }

  @Test
  void cloudeventsFormatWrapsShapedInputAsData() throws Exception {
    try (Target target = webhookTo("/hook", ", \"format\": \"cloudevents\"")) {
      assertThat(target.deliver(delivery())).isInstanceOf(Outcome.Delivered.class);
    }
    JsonNode event = Json.MAPPER.readTree(receiver.received("/hook").get(0).body());
    assertThat(event.get("source").asText()).isEqualTo("herald:rule:big-orders");
    assertThat(event.get("type").asText()).isEqualTo("dev.herald.shaped");
    assertThat(event.get("data")).isEqualTo(Json.MAPPER.readTree(ENVELOPE));
  }

  @Test
  void cloudeventsBinaryFormatSendsAttributesAsHeadersAndDataAsTheBody() throws Exception {
    String envelope =
        "{\"version\":\"0\",\"id\":\"evt-2\",\"detail-type\":\"Order placed\","
            + "\"source\":\"shop.orders\",\"account\":\"000000000000\","
            + "\"time\":\"2026-11-26T10:00:00Z\",\"region\":\"local\","
            + "\"resources\":[\"café/42%\"],\"detail\":{\"order\":42}}";
    Delivery delivery =
        new Delivery(
            "dk-456",
            "evt-2",
            "big-orders",
            1,
            envelope.getBytes(UTF_8),
            true,
            Optional.empty(),
            Instant.now().plusSeconds(10));
    try (Target target =
        webhookTo(
            "/hook", ", \"format\": \"cloudevents-binary\", \"secret\": \"" + secret("b") + "\"")) {
      assertThat(target.deliver(delivery)).isInstanceOf(Outcome.Delivered.class);
    }
    Receiver.Received got = receiver.received("/hook").get(0);
    assertThat(got.header("Content-Type")).isEqualTo("application/json");
    assertThat(Json.MAPPER.readTree(got.body())).isEqualTo(Json.MAPPER.readTree("{\"order\":42}"));
    assertThat(got.header("ce-specversion")).isEqualTo("1.0");
    assertThat(got.header("ce-id")).isEqualTo("evt-2");
    assertThat(got.header("ce-source")).isEqualTo("shop.orders");
    assertThat(got.header("ce-type")).isEqualTo("Order%20placed"); // percent-encoded (3.1.3.2)
    assertThat(got.header("ce-time")).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(got.header("ce-subject")).isEqualTo("caf%C3%A9/42%25");
    assertThat(got.header("ce-heraldrule")).isEqualTo("big-orders");
    assertThat(got.header("ce-data")).isNull();
    assertThat(got.header("ce-datacontenttype")).isNull();
    assertThat(got.header("webhook-id")).isEqualTo("dk-456");
    assertThat(got.header("webhook-signature")).startsWith("v1,"); // signs the body sent
  }

  @Test
  void cloudeventsBinaryFormatSendsPlainTextInputAsText() {
    Delivery text =
        new Delivery(
            "dk-789",
            "evt-3",
            "big-orders",
            1,
            "order 42 placed".getBytes(UTF_8),
            false,
            Optional.empty(),
            Instant.now().plusSeconds(10));
    try (Target target = webhookTo("/hook", ", \"format\": \"cloudevents-binary\"")) {
      assertThat(target.deliver(text)).isInstanceOf(Outcome.Delivered.class);
    }
    Receiver.Received got = receiver.received("/hook").get(0);
    assertThat(got.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(new String(got.body(), UTF_8)).isEqualTo("order 42 placed");
    assertThat(got.header("ce-type")).isEqualTo("dev.herald.shaped");
    assertThat(got.header("ce-source")).isEqualTo("herald:rule:big-orders");
  }

  @Test
  void unknownFormatIsRefusedNamingTheChoices() {
    assertThatThrownBy(() -> webhookTo("/hook", ", \"format\": \"binary\""))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> {
              assertThat(e.field()).isEqualTo("webhook.format");
              assertThat(e.getMessage()).contains("cloudevents-binary");
            });
  }
}
