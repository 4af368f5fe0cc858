package dev.herald.core.shaping;

import static dev.herald.core.shaping.Envelopes.INGESTED;
import static dev.herald.core.shaping.Envelopes.ORDER;
import static dev.herald.core.shaping.Envelopes.envelope;
import static dev.herald.core.shaping.Envelopes.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InputShapeTest {
  private static final Optional<String> NONE = Optional.empty();

  private static InputShape inputPath(String path) {
    return InputShape.compile(NONE, Optional.of(path), Optional.empty());
  }

  @Test
  void withoutShapingTheTargetReceivesTheEnvelope() {
    InputShape shape = InputShape.compile(NONE, NONE, Optional.empty());
    ObjectNode envelope = envelope(ORDER);

    InputShape.Output output = shape.apply(envelope, "orders-to-crm", INGESTED);

    assertThat(shape.isIdentity()).isTrue();
    assertThat(shape).isSameAs(InputShape.identity());
    assertThat(output.json()).isTrue();
    assertThat(parse(output.text())).isEqualTo(envelope);
    assertThat(output.text()).doesNotContain("\n");
  }

  @Test
  void inputSendsTheConstantAsGivenWhateverTheEvent() {
    String constant = "{\"action\":\"refresh-cache\",\"scope\":[\"orders\"],\"ttl\":1.50}";
    InputShape shape = InputShape.compile(Optional.of(constant), NONE, Optional.empty());

    InputShape.Output output = shape.apply(envelope(ORDER), "cache-refresh", INGESTED);

    assertThat(shape.isIdentity()).isFalse();
    assertThat(shape.producesJson()).isTrue();
    assertThat(output.json()).isTrue();
    assertThat(output.text()).isEqualTo(constant);
  }

  @Test
  void inputMayBeAnyJsonValue() {
    InputShape shape = InputShape.compile(Optional.of(" \"wake up\" "), NONE, Optional.empty());

    assertThat(shape.apply(envelope(ORDER), "r", INGESTED).text()).isEqualTo("\"wake up\"");
  }

  @Test
  void eachApplyReturnsItsOwnBytes() {
    InputShape shape = InputShape.compile(Optional.of("[1]"), NONE, Optional.empty());
    byte[] first = shape.apply(envelope(ORDER), "r", INGESTED).bytes();
    first[0] = 'x';

    assertThat(shape.apply(envelope(ORDER), "r", INGESTED).text()).isEqualTo("[1]");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "$.detail.customer   | {\"name\":\"Zoë \\\"Z\\\" Okafor\",\"email\":\"zoe@example.com\"}",
        "$.detail.orderId    | \"o-1042\"",
        "$.detail.total      | 129.95",
        "$.detail.paid       | true",
        "$.detail.coupon     | null",
        "$.detail.tags       | [\"gift\",\"express\"]",
        "$.detail.items[1]   | {\"sku\":\"SKU-2\",\"qty\":1}",
        "$['detail-type']    | \"OrderPlaced\"",
      })
  void inputPathSendsTheSelectedValueAsCompactJson(String path, String expected) {
    InputShape.Output output = inputPath(path).apply(envelope(ORDER), "r", INGESTED);

    assertThat(output.json()).isTrue();
    assertThat(output.text()).isEqualTo(expected);
  }

  @Test
  void inputPathOfTheRootSendsTheEnvelope() {
    ObjectNode envelope = envelope(ORDER);

    assertThat(parse(inputPath("$").apply(envelope, "r", INGESTED).text())).isEqualTo(envelope);
  }

  @Test
  void inputPathThatSelectsNothingIsATransformError() {
    InputShape shape = inputPath("$.detail.shipping.address");

    assertThatThrownBy(() -> shape.apply(envelope(ORDER), "ship-orders", INGESTED))
        .isInstanceOfSatisfying(
            TransformException.class,
            e -> {
              assertThat(e.code()).isEqualTo("TransformError");
              assertThat(e.retryable()).isFalse();
            })
        .hasMessageContaining("$.detail.shipping.address")
        .hasMessageContaining("ship-orders")
        .hasMessageContaining("01JDQ3ZK9V4Y1E0S8M2N6P7R5T");
  }

  @Test
  void aTextTemplateProducesTextAndSaysSo() {
    InputShape shape =
        Envelopes.transformer(Map.of("id", "$.detail.orderId"), "Order <id> was placed");

    InputShape.Output output = shape.apply(envelope(ORDER), "r", INGESTED);

    assertThat(shape.producesJson()).isFalse();
    assertThat(output.json()).isFalse();
    assertThat(output.text()).isEqualTo("Order o-1042 was placed");
  }

  @Test
  void shapingNeverChangesTheEnvelope() {
    ObjectNode envelope = envelope(ORDER);
    ObjectNode before = envelope.deepCopy();
    InputShape shape =
        Envelopes.transformer(
            Map.of("d", "$.detail"),
            "{\"e\": <aws.events.event>, \"j\": <aws.events.event.json>, \"d\": <d>}");

    shape.apply(envelope, "r", INGESTED);

    assertThat(envelope).isEqualTo(before);
  }

  @Test
  void oneCompiledShapeServesManyEvents() {
    InputShape shape = inputPath("$.detail.orderId");
    ObjectNode other = envelope(ORDER);
    ((ObjectNode) other.get("detail")).put("orderId", "o-7");

    assertThat(shape.apply(envelope(ORDER), "r", INGESTED).text()).isEqualTo("\"o-1042\"");
    assertThat(shape.apply(other, "r", INGESTED).text()).isEqualTo("\"o-7\"");
  }
}
