package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The EventBridge wire protocol proven with the real AWS SDK for Java v2, against the shared
 * embedded Herald (auth off): a client built with only an endpoint override and static credentials
 * creates a bus, a rule and its targets, publishes, and the events are delivered to a real HTTP
 * receiver (an API destination ARN) and to a queue (an SQS ARN); TestEventPattern agrees with
 * {@code /v1/test-pattern} on the whole pattern corpus; bad input gets AWS's errors.
 */
class AwsEventBridgeTest {
  static Herald herald;
  static EventBridgeClient events;
  static SqsClient sqs;
  static Receiver receiver;

  @BeforeAll
  static void start() {
    herald = TestHerald.shared();
    URI endpoint = URI.create("http://127.0.0.1:" + herald.port());
    var credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("any-id", "any-secret"));
    events =
        EventBridgeClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .build();
    sqs =
        SqsClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .build();
    receiver = new Receiver(() -> 200);
  }

  @AfterAll
  static void stop() {
    events.close();
    sqs.close();
    receiver.close();
  }

  @Test
  void sdkCreatesBusRuleAndTargetsAndItsEventsAreDelivered() {
    var bus = events.createEventBus(r -> r.name("aws-shop"));
    assertThat(bus.eventBusArn()).endsWith(":event-bus/aws-shop");
    assertThat(
            TestHerald.put(
                    herald,
                    "/v1/targets/aws-hook",
                    "{'type':'webhook','webhook':{'url':'" + receiver.url() + "'}}")
                .status())
        .isEqualTo(200);
    events.putRule(
        r ->
            r.eventBusName("aws-shop")
                .name("big-orders")
                .eventPattern(
                    "{\"source\":[\"shop\"],\"detail\":{\"total\":[{\"numeric\":[\">=\",100]}]}}"));
    var put =
        events.putTargets(
            r ->
                r.eventBusName("aws-shop")
                    .rule("big-orders")
                    .targets(
                        Target.builder()
                            .id("aws-orders-q")
                            .arn("arn:aws:sqs:us-east-1:000000000000:aws-orders-q")
                            .retryPolicy(
                                p -> p.maximumRetryAttempts(3).maximumEventAgeInSeconds(600))
                            .build(),
                        Target.builder()
                            .id("aws-hook")
                            .arn("arn:aws:events:us-east-1:000000000000:api-destination/aws-hook/1")
                            .inputPath("$.detail")
                            .build()));
    assertThat(put.failedEntryCount()).isZero();
    // the SQS ARN made a queue target, with the rule-target's retry policy
    JsonNode queue = TestHerald.get(herald, "/v1/targets/aws-orders-q").body();
    assertThat(queue.get("type").asText()).isEqualTo("queue");
    assertThat(queue.at("/retry/maxAttempts").asInt()).isEqualTo(4);
    assertThat(queue.at("/retry/maxEventAgeSeconds").asInt()).isEqualTo(600);
    var listed = events.listTargetsByRule(r -> r.eventBusName("aws-shop").rule("big-orders"));
    assertThat(listed.targets())
        .extracting(Target::id, Target::arn)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "aws-orders-q", "arn:aws:sqs:local:000000000000:aws-orders-q"),
            org.assertj.core.groups.Tuple.tuple(
                "aws-hook", "arn:aws:events:local:000000000000:api-destination/aws-hook"));

    PutEventsResponse sent =
        events.putEvents(
            r ->
                r.entries(
                    e ->
                        e.eventBusName("aws-shop")
                            .source("shop")
                            .detailType("OrderPlaced")
                            .time(Instant.parse("2026-12-01T10:00:00Z"))
                            .detail("{\"orderId\":\"o-1\",\"total\":150}"),
                    e ->
                        e.eventBusName("aws-shop")
                            .source("shop")
                            .detailType("OrderPlaced")
                            .detail("{\"orderId\":\"o-2\",\"total\":5}")));
    assertThat(sent.failedEntryCount()).isZero();
    assertThat(sent.entries()).allSatisfy(e -> assertThat(e.eventId()).isNotBlank());

    await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.calls.isEmpty());
    assertThat(receiver.calls.getFirst().body()).contains("\"orderId\":\"o-1\"");
    String url = sqs.getQueueUrl(r -> r.queueName("aws-orders-q")).queueUrl();
    List<Message> messages =
        sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(20).maxNumberOfMessages(10))
            .messages();
    assertThat(messages).hasSize(1);
    JsonNode envelope = read(messages.getFirst().body());
    assertThat(envelope.at("/detail/orderId").asText()).isEqualTo("o-1");
    assertThat(envelope.get("time").asText()).isEqualTo("2026-12-01T10:00:00Z");
    assertThat(envelope.get("id").asText()).isEqualTo(sent.entries().getFirst().eventId());
  }

  @Test
  void rulesAreDescribedListedDisabledAndDeletedAsOnAws() {
    events.createEventBus(r -> r.name("aws-rules"));
    String arn =
        events
            .putRule(
                r ->
                    r.eventBusName("aws-rules")
                        .name("r1")
                        .description("first")
                        .eventPattern("{\"source\":[\"a\"]}"))
            .ruleArn();
    assertThat(arn).endsWith(":rule/aws-rules/r1");
    events.disableRule(r -> r.eventBusName("aws-rules").name("r1"));
    var described = events.describeRule(r -> r.eventBusName("aws-rules").name("r1"));
    assertThat(described.state()).isEqualTo(RuleState.DISABLED);
    assertThat(described.description()).isEqualTo("first");
    assertThat(read(described.eventPattern()).at("/source/0").asText()).isEqualTo("a");
    events.enableRule(r -> r.eventBusName("aws-rules").name("r1"));
    assertThat(events.listRules(r -> r.eventBusName("aws-rules")).rules())
        .singleElement()
        .satisfies(rule -> assertThat(rule.state()).isEqualTo(RuleState.ENABLED));
    events.putTargets(
        r ->
            r.eventBusName("aws-rules")
                .rule("r1")
                .targets(
                    t -> t.id("aws-rules-q").arn("arn:aws:sqs:local:000000000000:aws-rules-q")));
    assertThatThrownBy(() -> events.deleteRule(r -> r.eventBusName("aws-rules").name("r1")))
        .isInstanceOfSatisfying(
            EventBridgeException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    var removed =
        events.removeTargets(r -> r.eventBusName("aws-rules").rule("r1").ids("aws-rules-q"));
    assertThat(removed.failedEntryCount()).isZero();
    events.deleteRule(r -> r.eventBusName("aws-rules").name("r1"));
    assertThat(events.listRules(r -> r.eventBusName("aws-rules")).rules()).isEmpty();
    assertThat(events.listEventBuses(r -> r.namePrefix("aws-rul")).eventBuses())
        .extracting(b -> b.name())
        .containsExactly("aws-rules");
    events.deleteEventBus(r -> r.name("aws-rules"));
    assertThat(events.listEventBuses(r -> r.namePrefix("aws-rul")).eventBuses()).isEmpty();
  }

  @Test
  void badInputGetsAwsErrors() {
    assertThatThrownBy(
            () -> events.putRule(r -> r.name("bad").eventPattern("{\"source\":\"not-a-list\"}")))
        .isInstanceOf(InvalidEventPatternException.class);
    assertThatThrownBy(() -> events.describeRule(r -> r.name("no-such-rule")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("no-such-rule");
    // an oversized entry fails alone, with AWS's entry error code
    String big = "{\"blob\":\"" + "x".repeat(1024 * 1024) + "\"}";
    PutEventsResponse answer =
        events.putEvents(
            r ->
                r.entries(
                    e -> e.source("s").detailType("t").detail(big),
                    e -> e.source("s").detailType("t").detail("{not json"),
                    e -> e.source("s").detailType("t").detail("{\"ok\":true}")));
    assertThat(answer.failedEntryCount()).isEqualTo(2);
    assertThat(answer.entries().get(0).errorCode()).isEqualTo("InvalidArgument");
    assertThat(answer.entries().get(1).errorCode()).isEqualTo("MalformedDetail");
    assertThat(answer.entries().get(2).eventId()).isNotBlank();
  }

  @Test
  void unknownTargetAndMalformedBodyGetAwsErrorShape() {
    var unknown = raw("AWSEvents.NoSuchThing", "{}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.header("x-amzn-ErrorType")).isEqualTo("UnknownOperationException");
    assertThat(unknown.body().get("__type").asText()).isEqualTo("UnknownOperationException");
    assertThat(unknown.body().get("message").asText()).contains("AWSEvents.NoSuchThing");
    var malformed = raw("AWSEvents.ListEventBuses", "{\"NamePrefix\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.header("x-amzn-ErrorType")).isEqualTo("SerializationException");
    assertThat(malformed.body().get("message").asText()).contains("line 1");
  }

  @Test
  void testEventPatternAgreesWithTheNativeCheckOnTheWholeCorpus() throws IOException {
    JsonNode corpus;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("patterns/conformance.json")) {
      corpus = Json.MAPPER.readTree(in);
    }
    List<String> disagreements = new ArrayList<>();
    for (JsonNode c : corpus) {
      boolean aws =
          events
              .testEventPattern(
                  r -> r.eventPattern(c.get("pattern").toString()).event(c.get("event").toString()))
              .result();
      var nativeAnswer =
          TestHerald.post(
              herald,
              "/v1/test-pattern",
              "application/json",
              Json.object()
                  .<com.fasterxml.jackson.databind.node.ObjectNode>set("pattern", c.get("pattern"))
                  .<com.fasterxml.jackson.databind.node.ObjectNode>set("event", c.get("event"))
                  .toString()
                  .getBytes(StandardCharsets.UTF_8));
      if (aws != nativeAnswer.body().get("matches").asBoolean()
          || aws != c.get("matches").asBoolean()) {
        disagreements.add(c.get("name").asText());
      }
    }
    assertThat(corpus.size()).isGreaterThanOrEqualTo(100);
    assertThat(disagreements).isEmpty();
  }

  /** An answer of the AWS protocol: its status, its JSON body and its headers. */
  record Raw(int status, JsonNode body, java.net.http.HttpHeaders headers) {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  static Raw raw(Herald herald, String target, String body) {
    var answer =
        TestHerald.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.port() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    return new Raw(
        answer.status(),
        read(new String(answer.raw().body(), StandardCharsets.UTF_8)),
        answer.raw().headers());
  }

  private static Raw raw(String target, String body) {
    return raw(herald, target, body);
  }

  static JsonNode read(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
