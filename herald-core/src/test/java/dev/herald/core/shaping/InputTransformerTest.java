package dev.herald.core.shaping;

import static dev.herald.core.shaping.Envelopes.INGESTED;
import static dev.herald.core.shaping.Envelopes.ORDER;
import static dev.herald.core.shaping.Envelopes.envelope;
import static dev.herald.core.shaping.Envelopes.parse;
import static dev.herald.core.shaping.Envelopes.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.json.Json;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How an input transformer fills its template, by value kind and placeholder position. */
class InputTransformerTest {
  private static final Map<String, String> PATHS =
      Map.of(
          "s", "$.detail.customer.name",
          "n", "$.detail.total",
          "b", "$.detail.paid",
          "z", "$.detail.coupon",
          "o", "$.detail.items[0]",
          "a", "$.detail.tags",
          "m", "$.detail.shipping");

  private static String text(String template) {
    return transform(ORDER, PATHS, template).text();
  }

  @ParameterizedTest(name = "<{0}> -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "s | {\"v\":\"Zoë \\\"Z\\\" Okafor\"}",
        "n | {\"v\":129.95}",
        "b | {\"v\":true}",
        "z | {\"v\":null}",
        "o | {\"v\":{\"sku\":\"SKU-1\",\"qty\":2}}",
        "a | {\"v\":[\"gift\",\"express\"]}",
        "m | {\"v\":\"\"}",
      })
  void outsideQuotesAJsonTemplateGetsTheValueAsJson(String variable, String expected) {
    InputShape.Output output = transform(ORDER, PATHS, "{\"v\": <" + variable + ">}");

    assertThat(output.json()).isTrue();
    assertThat(output.text()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "<{0}> -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "s | {\"v\":\"[Zoë \\\"Z\\\" Okafor]\"}",
        "n | {\"v\":\"[129.95]\"}",
        "b | {\"v\":\"[true]\"}",
        "z | {\"v\":\"[null]\"}",
        "o | {\"v\":\"[{sku:SKU-1,qty:2}]\"}",
        "a | {\"v\":\"[[gift,express]]\"}",
        "m | {\"v\":\"[]\"}",
      })
  void insideQuotesTheValueIsTextEscapedForTheString(String variable, String expected) {
    assertThat(text("{\"v\": \"[<" + variable + ">]\"}")).isEqualTo(expected);
  }

  @ParameterizedTest(name = "<{0}> -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "s | `v=Zoë \"Z\" Okafor;`",
        "n | v=129.95;",
        "b | v=true;",
        "z | v=null;",
        "o | `v={\"sku\":\"SKU-1\",\"qty\":2};`",
        "a | `v=[\"gift\",\"express\"];`",
        "m | v=;",
      })
  void outsideQuotesATextTemplateGetsTheValueAsIs(String variable, String expected) {
    InputShape.Output output = transform(ORDER, PATHS, "v=<" + variable + ">;");

    assertThat(output.json()).isFalse();
    assertThat(output.text()).isEqualTo(expected);
  }

  @Test
  void quotedPartsOfATextTemplateAreEscapedLikeJsonStrings() {
    assertThat(text("Customer \"<s>\" paid <n>"))
        .isEqualTo("Customer \"Zoë \\\"Z\\\" Okafor\" paid 129.95");
  }

  @Test
  void aQuotedTemplateIsAJsonString() {
    InputShape.Output output = transform(ORDER, PATHS, "\"<s> paid <n>\"");

    assertThat(output.json()).isTrue();
    assertThat(output.text()).isEqualTo("\"Zoë \\\"Z\\\" Okafor paid 129.95\"");
    assertThat(parse(output.text()).textValue()).isEqualTo("Zoë \"Z\" Okafor paid 129.95");
  }

  @Test
  void aLonePlaceholderIsAJsonTemplateOfThatValue() {
    assertThat(transform(ORDER, PATHS, "<o>").text()).isEqualTo("{\"sku\":\"SKU-1\",\"qty\":2}");
    assertThat(transform(ORDER, PATHS, " <s> ").text()).isEqualTo("\"Zoë \\\"Z\\\" Okafor\"");
  }

  @Test
  void jsonOutputIsMinified() {
    String template =
        """
        {
          "order": {
            "items": [ <o>, "second" ],
            "tags" : <a>
          }
        }
        """;

    assertThat(text(template))
        .isEqualTo(
            "{\"order\":{\"items\":[{\"sku\":\"SKU-1\",\"qty\":2},\"second\"],"
                + "\"tags\":[\"gift\",\"express\"]}}");
  }

  @Test
  void textOutputKeepsTheTemplateAsWritten() {
    assertThat(text("Order total:\n  <n>\t(paid: <b>)\n"))
        .isEqualTo("Order total:\n  129.95\t(paid: true)\n");
  }

  @Test
  void escapedQuotesInsideATemplateStringDoNotEndIt() {
    assertThat(text("{\"m\": \"say \\\"<s>\\\" twice\\n\"}"))
        .isEqualTo("{\"m\":\"say \\\"Zoë \\\"Z\\\" Okafor\\\" twice\\n\"}");
  }

  @Test
  void controlCharactersInAValueAreEscapedInsideStrings() {
    ObjectNode envelope = envelope(ORDER);
    ((ObjectNode) envelope.get("detail")).put("note", "line 1\nline 2\t\u0001");
    InputShape shape =
        Envelopes.transformer(Map.of("note", "$.detail.note"), "{\"n\": \"<note>\"}");

    String output = shape.apply(envelope, "r", INGESTED).text();

    assertThat(output).isEqualTo("{\"n\":\"line 1\\nline 2\\t\\u0001\"}");
  }

  @Test
  void anglesThatAreNotPlaceholdersAreText() {
    assertThat(text("a < b, <3, <br/> and <> but <n>"))
        .isEqualTo("a < b, <3, <br/> and <> but 129.95");
    assertThat(text("{\"html\": \"<b/> <n>\"}")).isEqualTo("{\"html\":\"<b/> 129.95\"}");
  }

  @Test
  void aVariableUsedTwiceHasOneValue() {
    assertThat(text("[<n>, \"<n>\", <n>]")).isEqualTo("[129.95,\"129.95\",129.95]");
  }

  @Test
  void unusedVariablesAreFine() {
    assertThat(text("\"static\"")).isEqualTo("\"static\"");
  }

  @Test
  void ruleNameAndIngestionTimeAreStrings() {
    InputShape shape =
        Envelopes.transformer(
            Map.of(),
            "{\"rule\": <aws.events.rule-name>, \"at\": <aws.events.event.ingestion-time>,"
                + " \"why\": \"<aws.events.rule-name> at <aws.events.event.ingestion-time>\"}");

    String output =
        shape
            .apply(envelope(ORDER), "orders-to-crm", Instant.parse("2026-11-26T10:00:00.125Z"))
            .text();

    assertThat(output)
        .isEqualTo(
            "{\"rule\":\"orders-to-crm\",\"at\":\"2026-11-26T10:00:00.125Z\","
                + "\"why\":\"orders-to-crm at 2026-11-26T10:00:00.125Z\"}");
  }

  @Test
  void ingestionTimeIsRfc3339InUtcWithWholeSeconds() {
    assertThat(transform(ORDER, Map.of(), "<aws.events.event.ingestion-time>").text())
        .isEqualTo("\"2026-11-26T10:00:00Z\"");
  }

  @Test
  void theEventVariableIsTheEnvelopeWithoutDetail() {
    JsonNode output = parse(transform(ORDER, Map.of(), "{\"e\": <aws.events.event>}").text());

    ObjectNode expected = envelope(ORDER);
    expected.remove("detail");
    assertThat(output.get("e")).isEqualTo(expected);
  }

  @Test
  void theEventJsonVariableIsTheWholeEnvelope() {
    JsonNode output = parse(transform(ORDER, Map.of(), "{\"e\": <aws.events.event.json>}").text());

    assertThat(output.get("e")).isEqualTo(envelope(ORDER));
  }

  @Test
  void theWholeEventMayStandInATextTemplateOutsideQuotes() {
    InputShape.Output output = transform(ORDER, Map.of(), "Event: <aws.events.event.json>");

    assertThat(output.json()).isFalse();
    assertThat(parse(output.text().substring("Event: ".length()))).isEqualTo(envelope(ORDER));
  }

  @Test
  void predefinedAndDefinedVariablesMix() {
    assertThat(
            transform(
                    ORDER,
                    Map.of("id", "$.detail.orderId", "first", "$.detail.items[0].sku"),
                    "<aws.events.rule-name>: order <id> starts with <first>")
                .text())
        .isEqualTo("example: order o-1042 starts with SKU-1");
  }

  @Test
  void jsonTooDeepOnceFilledIsATransformErrorAtRoutingTime() {
    ObjectNode envelope = envelope(ORDER);
    ObjectNode deep = Json.object();
    envelope.set("detail", deep);
    for (int i = 0; i < Json.MAX_DEPTH - 1; i++) {
      deep = deep.putObject("d");
    }
    InputShape shape =
        Envelopes.transformer(Map.of("d", "$.detail"), "{\"wrapped\": {\"detail\": <d>}}");

    assertThatThrownBy(() -> shape.apply(envelope, "deep-rule", INGESTED))
        .isInstanceOfSatisfying(
            TransformException.class,
            e -> {
              assertThat(e.code()).isEqualTo(TransformException.CODE).isEqualTo("TransformError");
              assertThat(e.retryable()).isFalse();
            })
        .hasMessageContaining("the inputTransformer of rule deep-rule made invalid JSON for event")
        .hasMessageContaining("01JDQ3ZK9V4Y1E0S8M2N6P7R5T")
        .hasMessageContaining("nesting depth");
  }

  @Test
  void theSameDeepValueIsFineWhereTheTemplateDoesNotNestIt() {
    ObjectNode envelope = envelope(ORDER);
    ObjectNode deep = Json.object();
    envelope.set("detail", deep);
    for (int i = 0; i < Json.MAX_DEPTH - 1; i++) {
      deep = deep.putObject("d");
    }

    InputShape shape = Envelopes.transformer(Map.of("d", "$.detail"), "<d>");

    assertThat(shape.apply(envelope, "r", INGESTED).json()).isTrue();
  }
}
