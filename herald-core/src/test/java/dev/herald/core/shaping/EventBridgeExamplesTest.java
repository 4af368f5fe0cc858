package dev.herald.core.shaping;

import static dev.herald.core.shaping.Envelopes.EC2;
import static dev.herald.core.shaping.Envelopes.INGESTED;
import static dev.herald.core.shaping.Envelopes.envelope;
import static dev.herald.core.shaping.Envelopes.parse;
import static dev.herald.core.shaping.Envelopes.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples of EventBridge's documentation, reproduced: "Amazon EventBridge input
 * transformation" (user guide: examples table and common issues), the input transformer tutorial,
 * and the InputTransformer API reference. Expected outputs are the documented ones, minified,
 * except where noted.
 */
class EventBridgeExamplesTest {
  /** The user guide's Input Path for the EC2 event. */
  private static final Map<String, String> GUIDE_PATHS =
      Map.of(
          "timestamp", "$.time",
          "instance", "$.detail.instance-id",
          "state", "$.detail.state",
          "resource", "$.resources[0]");

  static Stream<Arguments> userGuideExamples() {
    return Stream.of(
        example(
            "Simple string",
            "\"instance <instance> is in <state>\"",
            "\"instance i-0123456789 is in RUNNING\""),
        example(
            "String with escaped quotes",
            "\"instance \\\"<instance>\\\" is in <state>\"",
            "\"instance \\\"i-0123456789\\\" is in RUNNING\""),
        example(
            "Simple JSON",
            """
            {
              "instance" : <instance>,
              "state": <state>
            }""",
            "{\"instance\":\"i-0123456789\",\"state\":\"RUNNING\"}"),
        example(
            "JSON with strings and variables",
            """
            {
             "instance" : <instance>,
             "state": "<state>",
             "instanceStatus": "instance \\"<instance>\\" is in <state>"
            }""",
            "{\"instance\":\"i-0123456789\",\"state\":\"RUNNING\","
                + "\"instanceStatus\":\"instance \\\"i-0123456789\\\" is in RUNNING\"}"),
        example(
            "JSON with a mix of variables and static information",
            """
            {
              "instance" : <instance>,
              "state": [ 9, <state>, true ],
              "Transformed" : "Yes"
            }
            """,
            "{\"instance\":\"i-0123456789\",\"state\":[9,\"RUNNING\",true],\"Transformed\":\"Yes\"}"),
        example(
            "Including reserved variables in a string",
            "\"<aws.events.rule-name> triggered\"",
            "\"example triggered\""),
        // The guide shows {"timestamp" : 2015-11-11T21:29:54Z, "message": "instance "i-0123456789"
        // is in RUNNING}, which is how CloudWatch Logs displays it, not JSON; the JSON is this.
        example(
            "Amazon CloudWatch log group",
            """
            {
              "timestamp" : <timestamp>,
              "message": "instance \\"<instance>\\" is in <state>"
            }""",
            "{\"timestamp\":\"2015-11-11T21:29:54Z\","
                + "\"message\":\"instance \\\"i-0123456789\\\" is in RUNNING\"}"),
        example(
            "Array items by index (Input Path resources[0])",
            "{\"resource\": <resource>}",
            "{\"resource\":\"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111\"}"));
  }

  private static Arguments example(String name, String template, String output) {
    return arguments(named(name, template), output);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("userGuideExamples")
  void reproducesTheUserGuideExamples(String template, String expected) {
    InputShape.Output output = transform(EC2, GUIDE_PATHS, template);

    assertThat(output.json()).isTrue();
    assertThat(output.text()).isEqualTo(expected);
  }

  @Test
  void reproducesIncludingReservedVariablesInJson() {
    // The guide's example also has "ruleArn" : <aws.events.rule-arn>, which Herald rejects.
    String template =
        """
        {
          "instance" : <instance>,
          "state": <state>,
          "ruleName" : <aws.events.rule-name>,
          "originalEvent" : <aws.events.event>
        }""";

    JsonNode output = parse(transform(EC2, GUIDE_PATHS, template).text());

    ObjectNode withoutDetail = envelope(EC2);
    withoutDetail.remove("detail");
    assertThat(output.get("instance").textValue()).isEqualTo("i-0123456789");
    assertThat(output.get("state").textValue()).isEqualTo("RUNNING");
    assertThat(output.get("ruleName").textValue()).isEqualTo("example");
    assertThat(output.get("originalEvent")).isEqualTo(withoutDetail);
  }

  @Test
  void reproducesTheCommonIssueOfAnObjectReferencedInAString() {
    Map<String, String> paths = Map.of("detail", "$.detail");

    assertThat(transform(EC2, paths, "\"Detail is <detail>\"").text())
        .isEqualTo("\"Detail is {instance-id:i-0123456789,state:RUNNING}\"");
    assertThat(transform(EC2, paths, "{\"detail\": <detail>}").text())
        .isEqualTo("{\"detail\":{\"instance-id\":\"i-0123456789\",\"state\":\"RUNNING\"}}");
  }

  @Test
  void reproducesTheCommonIssueOfStringsAndObjectsQuotedProperly() {
    String template =
        """
        {
          "ruleName" : <aws.events.rule-name>,
          "originalEvent" : <aws.events.event.json>
        }""";

    JsonNode output = parse(transform(EC2, Map.of(), template).text());

    assertThat(output.get("ruleName").textValue()).isEqualTo("example");
    assertThat(output.get("originalEvent")).isEqualTo(envelope(EC2));
  }

  @Test
  void reproducesTheTutorialMessage() {
    InputShape.Output output =
        transform(
            EC2,
            Map.of("instance", "$.detail.instance-id", "state", "$.detail.state"),
            "\"The EC2 instance <instance> has changed state to <state>.\"");

    assertThat(output.text())
        .isEqualTo("\"The EC2 instance i-0123456789 has changed state to RUNNING.\"");
  }

  /** The InputTransformer API reference, its paths pointed at the EC2 event. */
  static Stream<Arguments> apiReferenceExamples() {
    return Stream.of(
        arguments(
            named("plain text", "<instance> is in state <status>"),
            "i-0123456789 is in state RUNNING",
            false),
        arguments(
            named("quote marks within text", "<instance> is in state \"<status>\""),
            "i-0123456789 is in state \"RUNNING\"",
            false),
        arguments(
            named(
                "JSON with variables in quotes or out",
                "{\"myInstance\": <instance>,\"myStatus\": \"<instance> is in state"
                    + " \\\"<status>\\\"\"}"),
            "{\"myInstance\":\"i-0123456789\","
                + "\"myStatus\":\"i-0123456789 is in state \\\"RUNNING\\\"\"}",
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("apiReferenceExamples")
  void reproducesTheApiReferenceExamples(String template, String expected, boolean json) {
    InputShape.Output output =
        transform(
            EC2, Map.of("instance", "$.detail.instance-id", "status", "$.detail.state"), template);

    assertThat(output.text()).isEqualTo(expected);
    assertThat(output.json()).isEqualTo(json);
  }

  /**
   * A path the event lacks "isn't created and won't appear in the output": nothing inside quotes,
   * an empty string outside them. Outputs as recorded from EventBridge by LocalStack's validated
   * snapshot tests ({@code test_events_inputs.snapshot.json}).
   */
  @Test
  void aMissingPathLeavesNothingInAStringAndAnEmptyStringAsAValue() {
    Map<String, String> paths =
        Map.of("detail-type", "$.detail-type", "timestamp", "$.time", "command", "$.detail.nope");

    assertThat(
            transform(
                    EC2,
                    paths,
                    "\"Event of <detail-type> type, at time <timestamp>, info extracted from"
                        + " detail <command>\"")
                .text())
        .isEqualTo(
            "\"Event of EC2 Instance State-change Notification type, at time"
                + " 2015-11-11T21:29:54Z, info extracted from detail \"");
    assertThat(
            transform(
                    EC2,
                    paths,
                    "{\"detailType\": <detail-type>,  \"time\": <timestamp>, \"command\": <command>}")
                .text())
        .isEqualTo(
            "{\"detailType\":\"EC2 Instance State-change Notification\","
                + "\"time\":\"2015-11-11T21:29:54Z\",\"command\":\"\"}");
  }

  @Test
  void anInputPathToAStringSendsAQuotedJsonString() {
    InputShape shape =
        InputShape.compile(Optional.empty(), Optional.of("$.detail.state"), Optional.empty());

    assertThat(shape.apply(envelope(EC2), "r", INGESTED).text()).isEqualTo("\"RUNNING\"");
  }
}
