package dev.herald.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatTargetTest {
  static final TargetContext DEV =
      new TargetContext(InstantSource.system(), true, Set.of(), Path.of("plugins"));
  static final TargetContext PRODUCTION =
      new TargetContext(InstantSource.system(), false, Set.of(), Path.of("plugins"));
  static final String ENVELOPE =
      """
      {"version": "0", "id": "evt-7", "detail-type": "OrderPlaced", "source": "shop.orders",
       "detail": {"orderId": "o-7", "total": 150, "customer": {"name": "Ada <Lovelace>"}}}
      """;
  static final String BLOCKS =
      """
      [{"type": "section", "text": {"type": "mrkdwn", "text": "*{{detail.orderId}}* by {{detail.customer.name}}"}},
       {"type": "context", "elements": [{"type": "plain_text", "text": "{{source}}", "emoji": true}]}]
      """;

  Receiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new Receiver();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  static Target chat(String settings, TargetContext context) {
    try {
      JsonNode json = Json.MAPPER.readTree("{\"type\": \"chat\", \"chat\": " + settings + "}");
      return Targets.create(TargetSpecs.parse("orders-chat", json), context);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  Target chatTo(String path, String extra) {
    return chat("{\"url\": \"" + receiver.url(path) + "\"" + extra + "}", DEV);
  }

  static Delivery delivery() {
    return new Delivery(
        "dk-7",
        "evt-7",
        "big-orders",
        1,
        ENVELOPE.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        true,
        Optional.empty(),
        Instant.now().plus(Duration.ofSeconds(10)));
  }

  @Test
  void receiverGetsTheRenderedTextAndBlocksAsJson() throws Exception {
    String settings = ", \"text\": \"{{detail-type}} {{detail.orderId}}: {{detail.total}} EUR\"";
    try (Target target = chatTo("/services/T0/B0/s3cr3t", settings + ", \"blocks\": " + BLOCKS)) {
      assertThat(target.deliver(delivery())).isEqualTo(new Outcome.Delivered());
    }
    Receiver.Received r = receiver.received().getFirst();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("webhook-id")).isEqualTo("dk-7");
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.get("text").asText()).isEqualTo("OrderPlaced o-7: 150 EUR");
    assertThat(body.at("/blocks/0/text/text").asText()).isEqualTo("*o-7* by Ada <Lovelace>");
    assertThat(body.at("/blocks/0/text/type").asText()).isEqualTo("mrkdwn");
    assertThat(body.at("/blocks/1/elements/0/text").asText()).isEqualTo("shop.orders");
    assertThat(body.at("/blocks/1/elements/0/emoji").asBoolean()).isTrue();
  }

  @Test
  void plainHttpToAHostThatIsNotLoopbackIsRejectedAtBuildNamingTheUrl() {
    assertThatThrownBy(() -> chat("{\"url\": \"http://203.0.113.5/hook\", \"text\": \"x\"}", DEV))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> {
              assertThat(e.field()).isEqualTo("chat.url");
              assertThat(e.getMessage()).contains("https");
            });
  }

  @Test
  void plainHttpToLoopbackIsRejectedUnlessHeraldIsOnLoopbackOrTheHostIsAllowListed() {
    String settings = "{\"url\": \"" + receiver.url("/hook") + "\", \"text\": \"x\"}";
    assertThatThrownBy(() -> chat(settings, PRODUCTION))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("chat.url"));
    TargetContext listed =
        new TargetContext(InstantSource.system(), false, Set.of("127.0.0.1"), Path.of("plugins"));
    try (Target target = chat(settings, listed)) {
      assertThat(target.deliver(delivery())).isEqualTo(new Outcome.Delivered());
    }
  }

  @Test
  void serverErrorIsRetriedHonouringRetryAfterWithoutShowingTheSecretPath() {
    receiver.on(
        "/services/s3cr3t", r -> new Receiver.Answer(500, Map.of("Retry-After", "30"), "", 0));
    try (Target target = chatTo("/services/s3cr3t", ", \"text\": \"hi\"")) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Retry.class,
              r -> {
                assertThat(r.code()).isEqualTo("HttpStatus500");
                assertThat(r.retryAfter()).contains(Duration.ofSeconds(30));
                assertThat(r.message()).doesNotContain("s3cr3t");
              });
    }
  }

  @Test
  void tooManyRequestsIsRetried() {
    receiver.on("/hook", r -> new Receiver.Answer(429, Map.of("Retry-After", "5"), "", 0));
    try (Target target = chatTo("/hook", ", \"text\": \"hi\"")) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Retry.class, r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(5)));
    }
  }

  @Test
  void badRequestIsPermanent() {
    receiver.on("/hook", r -> new Receiver.Answer(400, Map.of(), "invalid_blocks", 0));
    try (Target target = chatTo("/hook", ", \"text\": \"hi\"")) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Permanent.class,
              p -> {
                assertThat(p.code()).isEqualTo("HttpStatus400");
                assertThat(p.message()).contains("invalid_blocks");
              });
    }
  }

  @Test
  void goneIsGone() {
    receiver.on("/hook", r -> Receiver.Answer.of(410));
    try (Target target = chatTo("/hook", ", \"text\": \"hi\"")) {
      assertThat(target.deliver(delivery())).isInstanceOf(Outcome.Gone.class);
    }
  }

  @Test
  void missingFieldIsATemplateErrorAndNothingIsSent() {
    try (Target target = chatTo("/hook", ", \"text\": \"for {{detail.customer.email}}\"")) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Permanent.class,
              p -> {
                assertThat(p.code()).isEqualTo("TemplateError");
                assertThat(p.message()).contains("detail.customer.email").contains("chat.text");
              });
    }
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void templateSyntaxErrorInABlockIsRejectedAtBuildNamingItsPath() {
    String blocks =
        ", \"blocks\": [{\"type\": \"section\", \"text\": {\"text\": \"{{#detail}}\"}}]";
    assertThatThrownBy(() -> chatTo("/hook", blocks))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> assertThat(e.field()).isEqualTo("chat.blocks[0].text.text"));
  }

  @Test
  void textOrBlocksIsRequired() {
    assertThatThrownBy(() -> chatTo("/hook", ""))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("chat.text"));
  }
}
