package dev.herald.core.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a rule-target's shaping can be refused when it is stored, each naming its field. */
class InputShapeValidationTest {
  private static final Optional<String> NONE = Optional.empty();
  private static final InputTransformer TRANSFORMER =
      new InputTransformer(Map.of("id", "$.detail.orderId"), "{\"id\": <id>}");

  private static AbstractThrowableAssert<?, ? extends Throwable> rejected(
      Optional<String> input,
      Optional<String> inputPath,
      Optional<InputTransformer> transformer,
      String field) {
    return assertThatThrownBy(() -> InputShape.compile(input, inputPath, transformer))
        .isInstanceOfSatisfying(
            InvalidShapeException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.retryable()).isFalse();
            });
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> rejectedTransformer(
      Map<String, String> paths, String template, String field) {
    return rejected(NONE, NONE, Optional.of(new InputTransformer(paths, template)), field);
  }

  @Test
  void rejectsInputTogetherWithInputPath() {
    rejected(Optional.of("{}"), Optional.of("$.detail"), Optional.empty(), "inputPath")
        .hasMessage(
            "a rule-target may set at most one of input, inputPath and inputTransformer, but"
                + " input and inputPath are set");
  }

  @Test
  void rejectsInputTogetherWithInputTransformer() {
    rejected(Optional.of("{}"), NONE, Optional.of(TRANSFORMER), "inputTransformer")
        .hasMessageContaining("input and inputTransformer are set");
  }

  @Test
  void rejectsInputPathTogetherWithInputTransformer() {
    rejected(NONE, Optional.of("$.detail"), Optional.of(TRANSFORMER), "inputTransformer")
        .hasMessageContaining("inputPath and inputTransformer are set");
  }

  @Test
  void rejectsAllThreeTogether() {
    rejected(Optional.of("1"), Optional.of("$"), Optional.of(TRANSFORMER), "inputPath")
        .hasMessageContaining("input and inputPath and inputTransformer are set");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "``                       | the text is empty",
        "`   `                    | the text is empty",
        "{\"a\": 1                | Unexpected end-of-input",
        "{\"a\": 1} {\"b\": 2}    | Trailing token",
        "hello                    | Unrecognized token 'hello'",
        "{'a': 1}                 | Unexpected character",
        "{\"a\": 1, \"a\": 2}     | Duplicate field 'a'",
        "[1, 2,]                  | Unexpected character",
      })
  void rejectsInputThatIsNotOneJsonValue(String input, String problem) {
    rejected(Optional.of(input), NONE, Optional.empty(), "input")
        .hasMessageStartingWith("input is not valid JSON: ")
        .hasMessageContaining(problem);
  }

  @Test
  void rejectsInputLongerThanEventBridgeAllows() {
    String input = "\"" + "x".repeat(InputShape.MAX_INPUT_LENGTH - 1) + "\"";

    rejected(Optional.of(input), NONE, Optional.empty(), "input")
        .hasMessage("input is 8193 characters long; at most 8192 are allowed");
  }

  @Test
  void rejectsAnInputPathThatIsNotASupportedJsonPath() {
    rejected(NONE, Optional.of("$.detail.items[*].sku"), Optional.empty(), "inputPath")
        .hasMessage(
            "inputPath \"$.detail.items[*].sku\" is not a supported JSONPath: at character 16,"
                + " the wildcard '[*]' is not supported");
  }

  @Test
  void rejectsAVariableWhosePathIsNotASupportedJsonPath() {
    rejectedTransformer(Map.of("sku", "$.detail..sku"), "<sku>", "inputTransformer.paths.sku")
        .hasMessageStartingWith("inputTransformer.paths.sku \"$.detail..sku\" is not a supported")
        .hasMessageContaining("recursive descent");
  }

  @Test
  void rejectsAVariableWithoutAPath() {
    Map<String, String> paths = new HashMap<>();
    paths.put("id", null);

    rejectedTransformer(paths, "<id>", "inputTransformer.paths.id")
        .hasMessage("inputTransformer.paths.id must be a JSONPath, but it is missing");
  }

  @Test
  void rejectsAVariableWithAnEmptyPath() {
    rejectedTransformer(Map.of("id", ""), "<id>", "inputTransformer.paths.id")
        .hasMessageContaining("must be a JSONPath such as $.detail, but it is empty");
  }

  @Test
  void rejectsMoreThanOneHundredVariables() {
    Map<String, String> paths = new LinkedHashMap<>();
    for (int i = 0; i <= InputTransformer.MAX_PATHS; i++) {
      paths.put("v" + i, "$.detail.v" + i);
    }

    rejectedTransformer(paths, "<v0>", "inputTransformer.paths")
        .hasMessage("inputTransformer.paths defines 101 variables; at most 100 are allowed");
  }

  @Test
  void acceptsExactlyOneHundredVariables() {
    Map<String, String> paths = new LinkedHashMap<>();
    StringBuilder template = new StringBuilder();
    for (int i = 0; i < InputTransformer.MAX_PATHS; i++) {
      paths.put("v" + i, "$.detail.v" + i);
      template.append('<').append("v").append(i).append('>');
    }

    assertThat(Envelopes.transformer(paths, template.toString()).producesJson()).isFalse();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"order id", "order/id", "ünï", "a<b", "x>", "$id", ""})
  void rejectsVariableNamesOutsideTheAllowedCharacters(String name) {
    rejectedTransformer(Map.of(name, "$.detail"), "x", "inputTransformer.paths." + name)
        .hasMessage(
            "variable name \""
                + name
                + "\" in inputTransformer.paths must be 1 to 256 characters of A-Z, a-z, 0-9,"
                + " '_', '.' or '-'");
  }

  @Test
  void rejectsVariableNamesLongerThan256Characters() {
    String name = "v".repeat(257);

    rejectedTransformer(Map.of(name, "$.detail"), "x", "inputTransformer.paths." + name)
        .hasMessageContaining("must be 1 to 256 characters");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "aws.events.rule-name",
        "aws.events.event",
        "aws.events.mine",
        "AWS.Events.custom",
        "aws.x"
      })
  void rejectsVariableNamesWithTheReservedAwsPrefix(String name) {
    rejectedTransformer(
            Map.of(name, "$.detail"), "<" + name + ">", "inputTransformer.paths." + name)
        .hasMessageContaining("\"" + name + "\"")
        .hasMessageContaining("starts with the reserved prefix 'aws.'");
  }

  @Test
  void rejectsATemplateThatUsesAnUndefinedVariableNamingIt() {
    rejectedTransformer(
            Map.of("id", "$.detail.orderId", "total", "$.detail.total"),
            "{\"order\": <id>, \"customer\": <customer>}",
            "inputTransformer.template")
        .hasMessage(
            "inputTransformer.template uses <customer> at character 29, but customer is not"
                + " defined in inputTransformer.paths (defined: id, total; predefined:"
                + " aws.events.event, aws.events.event.ingestion-time, aws.events.event.json,"
                + " aws.events.rule-name)");
  }

  @Test
  void rejectsAnUndefinedVariableInATextTemplateToo() {
    rejectedTransformer(Map.of(), "Hello <name>!", "inputTransformer.template")
        .hasMessageContaining("uses <name> at character 7, but name is not defined")
        .hasMessageContaining("(defined: none;");
  }

  @Test
  void rejectsTheRuleArnWhichHeraldRulesDoNotHave() {
    rejectedTransformer(Map.of(), "{\"rule\": <aws.events.rule-arn>}", "inputTransformer.template")
        .hasMessageContaining("uses <aws.events.rule-arn> at character 10")
        .hasMessageContaining("use <aws.events.rule-name>");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"id\": <id>                   | Unexpected end-of-input",
        "{\"id\": <id> <id>}             | Unexpected character",
        "[<id>,]                         | Unexpected character",
        "{\"id\": -<id>}                 | Unexpected character",
        "{{id}}                          | Unexpected character",
        "{\"id\": <id>} trailing         | Unrecognized token 'trailing'",
        "{\"a\": 1, \"a\": <id>}         | Duplicate field 'a'",
        "[\"unterminated <id>]           | Unexpected end-of-input",
        "{id: <id>}                      | Unexpected character",
      })
  void rejectsAJsonLookingTemplateThatCannotYieldValidJson(String template, String problem) {
    rejectedTransformer(Map.of("id", "$.detail.orderId"), template, "inputTransformer.template")
        .hasMessageContaining("so it must be JSON, but it is not valid JSON once its placeholders")
        .hasMessageContaining(problem);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{<id>: 1}                       | 2",
        "{ \"a\": 1, <id> : 2}           | 11",
        "{\"<id>\": 1}                   | 3",
        "{\"order-<id>\"  :  1}          | 9",
        "{\"x\": {\"y\": 1, \"<id>\": 2}} | 17",
      })
  void rejectsAPlaceholderInAnObjectKey(String template, int at) {
    rejectedTransformer(Map.of("id", "$.detail.orderId"), template, "inputTransformer.template")
        .hasMessage(
            "inputTransformer.template uses <id> in an object key at character "
                + at
                + "; placeholders may only stand in values");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{\"event\": \"<aws.events.event>\"}",
        "\"Event: <aws.events.event.json>\"",
        "Raw \"<aws.events.event.json>\" text"
      })
  void rejectsTheWholeEventInsideQuotes(String template) {
    rejectedTransformer(Map.of(), template, "inputTransformer.template")
        .hasMessageContaining("inside a quoted string")
        .hasMessageContaining("it can only be a JSON value, outside quotes");
  }

  @Test
  void rejectsAnEmptyTemplate() {
    rejectedTransformer(Map.of(), "", "inputTransformer.template")
        .hasMessage("inputTransformer.template must not be empty");
  }

  @Test
  void rejectsATemplateLongerThanEventBridgeAllows() {
    String template = "x".repeat(InputTransformer.MAX_TEMPLATE_LENGTH + 1);

    rejectedTransformer(Map.of(), template, "inputTransformer.template")
        .hasMessage("inputTransformer.template is 8193 characters long; at most 8192 are allowed");
  }

  @Test
  void rejectsAMissingTemplate() {
    assertThatThrownBy(() -> new InputTransformer(Map.of("id", "$.detail"), null))
        .isInstanceOfSatisfying(
            InvalidShapeException.class,
            e -> assertThat(e.field()).isEqualTo("inputTransformer.template"))
        .hasMessage("inputTransformer.template is required");
  }

  @Test
  void readsMissingPathsAsNoVariables() {
    InputTransformer transformer = new InputTransformer(null, "\"static\"");

    assertThat(transformer.paths()).isEmpty();
  }

  @Test
  void keepsTheGivenPathsAndTheirOrderButNotTheCallersMap() {
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("b", "$.b");
    paths.put("a", "$.a");
    InputTransformer transformer = new InputTransformer(paths, "<a><b>");
    paths.put("c", "$.c");

    assertThat(transformer.paths().keySet()).containsExactly("b", "a");
    assertThatThrownBy(() -> transformer.paths().put("d", "$.d"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
