package dev.herald.core.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPathTest {
  private static final JsonNode ORDER = Envelopes.parse(Envelopes.ORDER);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "$.source                    | \"shop.orders\"",
        "$.detail-type               | \"OrderPlaced\"",
        "$.detail.orderId            | \"o-1042\"",
        "$.detail.customer.email     | \"zoe@example.com\"",
        "$['detail']['orderId']      | \"o-1042\"",
        "$[\"detail\"].customer['name'] | \"Zoë \\\"Z\\\" Okafor\"",
        "$.detail.items[2].sku       | \"SKU-3\"",
        "$.detail.items[0]           | {\"sku\":\"SKU-1\",\"qty\":2}",
        "$.resources[0]              | \"urn:shop:order:o-1042\"",
        "$.detail.tags               | [\"gift\",\"express\"]",
        "$.detail.total              | 129.95",
        "$.detail.paid               | true",
        "$.detail.coupon             | null",
      })
  void selectsOneValue(String path, String expected) {
    assertThat(JsonPath.compile(path).read(ORDER)).contains(Envelopes.parse(expected));
  }

  @Test
  void rootSelectsTheWholeDocument() {
    JsonPath root = JsonPath.compile("$");

    assertThat(root.isRoot()).isTrue();
    assertThat(root.read(ORDER)).containsSame(ORDER);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "$.detail.missing",
    "$.detail.items[3]",
    "$.detail.orderId.length",
    "$.detail.items.sku",
    "$.detail.customer[0]",
    "$.resources['0']",
  })
  void selectsNothingWhereThePathLeadsNowhere(String path) {
    assertThat(JsonPath.compile(path).read(ORDER)).isEmpty();
  }

  @Test
  void bracketKeysHoldAnyCharacterAndEscapes() {
    JsonNode doc = Envelopes.parse("{\"a b\":{\"it's\":{\"\\\\\":1}},\"x.y\":2,\"\":3}");

    assertThat(JsonPath.compile("$['a b']['it\\'s'][\"\\\\\"]").read(doc))
        .contains(Envelopes.parse("1"));
    assertThat(JsonPath.compile("$['x.y']").read(doc)).contains(Envelopes.parse("2"));
    assertThat(JsonPath.compile("$['']").read(doc)).contains(Envelopes.parse("3"));
  }

  @Test
  void dotNamesTakeDashesUnderscoresSlashesAndUnicodeLetters() {
    JsonNode doc = Envelopes.parse("{\"a-b_c/d\":{\"ünï\":1}}");

    assertThat(JsonPath.compile("$.a-b_c/d.ünï").read(doc)).contains(Envelopes.parse("1"));
  }

  @Test
  void pathsWithTheSameStepsAreEqual() {
    assertThat(JsonPath.compile("$.detail['id']")).isEqualTo(JsonPath.compile("$['detail'].id"));
    assertThat(JsonPath.compile("$.detail.id")).isNotEqualTo(JsonPath.compile("$.detail.ids"));
    assertThat(JsonPath.compile("$.a[0]").toString()).isEqualTo("$.a[0]");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "``                    | must be a JSONPath such as $.detail, but it is empty",
        "detail.id             | at character 1, a JSONPath starts with '$'",
        "$detail               | at character 2, unexpected 'd', expected '.' or '['",
        "$.                    | at character 2, a name must follow '.'",
        "$.detail.             | at character 9, a name must follow '.'",
        "$..id                 | at character 2, recursive descent '..' is not supported",
        "$.detail.*            | at character 10, the wildcard '*' is not supported",
        "$.items[*].sku        | at character 9, the wildcard '[*]' is not supported",
        "$.items[?(@.qty>1)]   | at character 9, filter expressions '[?(...)]' are not supported",
        "$.items[(@.length-1)] | at character 9, script expressions '[(...)]' are not supported",
        "$.items[-1]           | at character 9, negative indexes are not supported",
        "$.items[0:2]          | at character 10, slices '[a:b]' are not supported",
        "$.items[:2]           | at character 9, slices '[a:b]' are not supported",
        "$.items[0,1]          | at character 10, unions '[a,b]' are not supported",
        "$['a','b']            | at character 6, unions '[a,b]' are not supported",
        "$.items[0             | at character 8, '[' is not closed",
        "$.items[              | at character 8, '[' is not closed",
        "$.items[]             | at character 9, '[' must be followed by an array index or a quoted key, not ']'",
        "$.items[a]            | at character 9, '[' must be followed by an array index or a quoted key, not 'a'",
        "$['a                  | at character 3, the quote ' is not closed",
        "$['a\\n']             | at character 5, only \\' and \\\\ are escapes in a quoted key",
        "$.order id            | at character 8, unexpected ' ', expected '.' or '['",
        "$.@type               | at character 3, a name cannot start with '@'",
        "$.items[1234567890]   | at character 9, the index 1234567890 is too large",
      })
  void rejectsWhatItDoesNotSupportSayingWhereAndWhy(String path, String problem) {
    assertThatThrownBy(() -> JsonPath.compile(path))
        .isInstanceOfSatisfying(
            InvalidShapeException.class, e -> assertThat(e.field()).isEqualTo("path"))
        .hasMessageContaining(problem);
  }

  @Test
  void rejectsPathsLongerThanEventBridgeAllows() {
    String path = "$." + "a".repeat(JsonPath.MAX_LENGTH - 1);

    assertThatThrownBy(() -> JsonPath.compile(path))
        .isInstanceOf(InvalidShapeException.class)
        .hasMessageContaining("is 257 characters long; a JSONPath has at most 256");
  }

  @Test
  void errorsQuoteThePath() {
    assertThatThrownBy(() -> JsonPath.compile("$.a[*]"))
        .hasMessage(
            "path \"$.a[*]\" is not a supported JSONPath: at character 5, the wildcard '[*]' is"
                + " not supported");
  }
}
