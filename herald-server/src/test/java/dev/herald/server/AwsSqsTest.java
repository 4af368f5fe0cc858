package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageNotInflightException;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The SQS wire protocol proven with the real {@link SqsClient} against the shared embedded Herald
 * (auth off): queue targets are queues, each target's dead letters the queue {@code <target>-dlq};
 * long-poll receive, visibility timeout, delete, change visibility, message attributes carrying the
 * event's metadata, send, and StartMessageMoveTask redriving the dead-letter queue.
 */
class AwsSqsTest {
  static Herald herald;
  static SqsClient sqs;

  @BeforeAll
  static void start() {
    herald = TestHerald.shared();
    sqs =
        SqsClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + herald.port()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("id", "secret")))
            .build();
    assertThat(TestHerald.put(herald, "/v1/buses/sqs-bus", "{}").status()).isEqualTo(200);
    assertThat(
            TestHerald.put(
                    herald,
                    "/v1/targets/sqs-jobs",
                    "{'type':'queue','queue':{'visibilitySeconds':30},'retry':{'maxAttempts':2}}")
                .status())
        .isEqualTo(200);
    assertThat(
            TestHerald.put(
                    herald,
                    "/v1/buses/sqs-bus/rules/jobs",
                    "{'pattern':{'source':['jobs']},'targets':[{'target':'sqs-jobs'}]}")
                .status())
        .isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    sqs.close();
  }

  private static String publish(String job) {
    var answer =
        TestHerald.postJson(
            herald,
            "{'entries':[{'bus':'sqs-bus','source':'jobs','detailType':'Job','detail':{'job':'"
                + job
                + "'}}]}");
    assertThat(answer.status()).isEqualTo(200);
    return answer.body().at("/entries/0/eventId").asText();
  }

  private static String url() {
    return sqs.getQueueUrl(r -> r.queueName("sqs-jobs")).queueUrl();
  }

  private static List<Message> receive(int waitSeconds, Integer visibility) {
    ReceiveMessageResponse answer =
        sqs.receiveMessage(
            r ->
                r.queueUrl(url())
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds(waitSeconds)
                    .visibilityTimeout(visibility)
                    .messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL));
    return answer.messages();
  }

  @Test
  void longPollReceivesWithEventMetadataThenVisibilityDeleteAndDeadLetterRedrive()
      throws Exception {
    // a long poll waits for the event published after it started
    CompletableFuture<List<Message>> polling =
        CompletableFuture.supplyAsync(() -> receive(20, null));
    String eventId = publish("first");
    List<Message> first = polling.get();
    assertThat(first).hasSize(1);
    Message m = first.getFirst();
    JsonNode envelope = AwsEventBridgeTest.read(m.body());
    assertThat(envelope.at("/detail/job").asText()).isEqualTo("first");
    Map<String, MessageAttributeValue> attributes = m.messageAttributes();
    assertThat(attributes.get("herald.eventId").stringValue()).isEqualTo(eventId);
    assertThat(attributes.get("herald.rule").stringValue()).isEqualTo("jobs");
    assertThat(m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
        .isEqualTo("1");

    // hidden while its visibility timeout runs; visible again once changed to 0
    assertThat(receive(0, null)).isEmpty();
    sqs.changeMessageVisibility(
        r -> r.queueUrl(url()).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
    List<Message> again = receive(0, null);
    assertThat(again)
        .singleElement()
        .satisfies(
            x ->
                assertThat(x.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .isEqualTo("2"));
    // the first receipt handle's lease is over; the new one changes visibility
    sqs.changeMessageVisibility(
        r ->
            r.queueUrl(url()).receiptHandle(again.getFirst().receiptHandle()).visibilityTimeout(0));

    // received maxAttempts (2) times: the next receive moves it to the dead letters
    assertThat(receive(0, null)).isEmpty();
    String dlq = sqs.getQueueUrl(r -> r.queueName("sqs-jobs-dlq")).queueUrl();
    List<Message> dead =
        sqs.receiveMessage(
                r -> r.queueUrl(dlq).maxNumberOfMessages(10).messageAttributeNames("herald.*"))
            .messages();
    assertThat(dead)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.messageAttributes().get("herald.errorCode").stringValue())
                  .isEqualTo("MaxReceivesExceeded");
              assertThat(d.messageAttributes().get("herald.eventId").stringValue())
                  .isEqualTo(eventId);
            });
    var depth =
        sqs.getQueueAttributes(
            r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    assertThat(depth.attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .isEqualTo("1");

    // StartMessageMoveTask redrives the dead letters to the queue
    var task =
        sqs.startMessageMoveTask(r -> r.sourceArn("arn:aws:sqs:local:000000000000:sqs-jobs-dlq"));
    assertThat(task.taskHandle()).isNotBlank();
    List<Message> redriven = receive(20, null);
    assertThat(redriven)
        .singleElement()
        .satisfies(
            x ->
                assertThat(x.messageAttributes().get("herald.eventId").stringValue())
                    .isEqualTo(eventId));
    sqs.deleteMessage(r -> r.queueUrl(url()).receiptHandle(redriven.getFirst().receiptHandle()));
    // deleted: no longer in flight
    assertThatThrownBy(
            () ->
                sqs.changeMessageVisibility(
                    r ->
                        r.queueUrl(url())
                            .receiptHandle(redriven.getFirst().receiptHandle())
                            .visibilityTimeout(0)))
        .isInstanceOf(MessageNotInflightException.class);
    assertThat(receive(0, null)).isEmpty();
  }

  @Test
  void sendBatchReceiveAndDeleteBatch() {
    assertThat(TestHerald.put(herald, "/v1/targets/sqs-sent", "{'type':'queue'}").status())
        .isEqualTo(200);
    String url = sqs.getQueueUrl(r -> r.queueName("sqs-sent")).queueUrl();
    var sent =
        sqs.sendMessage(
            r ->
                r.queueUrl(url)
                    .messageBody("plain text")
                    .messageAttributes(
                        Map.of(
                            "kind",
                            MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue("note")
                                .build())));
    assertThat(sent.messageId()).isNotBlank();
    var batch =
        sqs.sendMessageBatch(
            r ->
                r.queueUrl(url)
                    .entries(
                        e -> e.id("a").messageBody("{\"n\":1}"),
                        e -> e.id("b").messageBody("{\"n\":2}")));
    assertThat(batch.successful()).hasSize(2);
    List<Message> got =
        sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(5))
            .messages();
    assertThat(got)
        .extracting(Message::body)
        .containsExactlyInAnyOrder("plain text", "{\"n\":1}", "{\"n\":2}");
    var deleted =
        sqs.deleteMessageBatch(
            r ->
                r.queueUrl(url)
                    .entries(
                        got.stream()
                            .map(
                                m ->
                                    software.amazon.awssdk.services.sqs.model
                                        .DeleteMessageBatchRequestEntry.builder()
                                        .id(m.messageId())
                                        .receiptHandle(m.receiptHandle())
                                        .build())
                            .toList()));
    assertThat(deleted.successful()).hasSize(3);
    assertThat(deleted.failed()).isEmpty();
    assertThat(sqs.listQueues(r -> r.queueNamePrefix("sqs-sent")).queueUrls())
        .containsExactly(url, url + "-dlq");
  }

  @Test
  void unknownQueuesAndBadHandlesGetSqsErrors() {
    assertThatThrownBy(() -> sqs.getQueueUrl(r -> r.queueName("no-such-queue")))
        .isInstanceOf(QueueDoesNotExistException.class);
    assertThatThrownBy(() -> sqs.deleteMessage(r -> r.queueUrl(url()).receiptHandle("forged")))
        .isInstanceOf(ReceiptHandleIsInvalidException.class);
    var refused = TestHerald.put(herald, "/v1/targets/jobs-dlq", "{'type':'queue'}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().at("/error/field").asText()).isEqualTo("name");
  }
}
