package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The SQS operations beyond the basics, with the real {@link SqsClient} against the shared embedded
 * Herald (auth off): DelaySeconds, ChangeMessageVisibilityBatch, PurgeQueue of a queue and of a
 * dead-letter queue, a dead-letter queue's stored visibility, and asynchronous message move tasks
 * with ListMessageMoveTasks and CancelMessageMoveTask.
 */
class AwsSqsCompletenessTest {
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
  }

  @AfterAll
  static void stop() {
    sqs.close();
  }

  /** A new queue target whose messages become dead letters after {@code maxReceives}. */
  private static String queue(String name, int maxReceives) {
    assertThat(
            TestHerald.put(
                    herald,
                    "/v1/targets/" + name,
                    "{'type':'queue','queue':{'visibilitySeconds':30},'retry':{'maxAttempts':"
                        + maxReceives
                        + "}}")
                .status())
        .isEqualTo(200);
    return sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
  }

  private static List<Message> receive(String url, int waitSeconds) {
    return sqs.receiveMessage(
            r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds))
        .messages();
  }

  private static String attribute(String url, QueueAttributeName name) {
    return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(name)).attributes().get(name);
  }

  /**
   * Sends {@code bodies}, receives them once, and makes them visible: the next receive dead-letters
   * them.
   */
  private static void deadLetter(String url, String... bodies) {
    for (String body : bodies) {
      sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));
    }
    List<Message> got = receive(url, 5);
    assertThat(got).hasSize(bodies.length);
    for (Message m : got) {
      sqs.changeMessageVisibility(
          r -> r.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
    }
    assertThat(receive(url, 0)).isEmpty();
  }

  @Test
  void aDelayedMessageIsNotReceivedBeforeItsDelayEnds() {
    String url = queue("sqs-delay", 5);

    sqs.sendMessage(r -> r.queueUrl(url).messageBody("later").delaySeconds(2));
    sqs.sendMessageBatch(
        r -> r.queueUrl(url).entries(e -> e.id("now").messageBody("now").delaySeconds(0)));

    assertThat(receive(url, 0)).extracting(Message::body).containsExactly("now");
    assertThat(attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
        .isEqualTo("1");
    assertThat(receive(url, 20)).extracting(Message::body).containsExactly("later");
  }

  @Test
  void delaySecondsOutOfRangeIsInvalidParameterValue() {
    String url = queue("sqs-delay-bad", 5);

    assertThatThrownBy(
            () -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").delaySeconds(901)))
        .isInstanceOfSatisfying(
            SqsException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
              assertThat(e.getMessage()).contains("DelaySeconds");
            });
    var batch =
        sqs.sendMessageBatch(
            r ->
                r.queueUrl(url)
                    .entries(
                        e -> e.id("ok").messageBody("fine").delaySeconds(900),
                        e -> e.id("bad").messageBody("x").delaySeconds(-1)));
    assertThat(batch.successful()).extracting(s -> s.id()).containsExactly("ok");
    assertThat(batch.failed())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.id()).isEqualTo("bad");
              assertThat(f.code()).isEqualTo("InvalidParameterValue");
            });
  }

  @Test
  void changeMessageVisibilityBatchChangesEachEntryAndReportsBadHandles() {
    String url = queue("sqs-visibility-batch", 5);
    sqs.sendMessageBatch(
        r ->
            r.queueUrl(url)
                .entries(e -> e.id("a").messageBody("a"), e -> e.id("b").messageBody("b")));
    List<Message> got = receive(url, 5);
    assertThat(got).hasSize(2);
    Message shown = got.get(0);

    var answer =
        sqs.changeMessageVisibilityBatch(
            r ->
                r.queueUrl(url)
                    .entries(
                        ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id("shown")
                            .receiptHandle(shown.receiptHandle())
                            .visibilityTimeout(0)
                            .build(),
                        ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id("kept")
                            .receiptHandle(got.get(1).receiptHandle())
                            .visibilityTimeout(600)
                            .build(),
                        ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id("forged")
                            .receiptHandle("forged")
                            .visibilityTimeout(0)
                            .build(),
                        ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id("too-long")
                            .receiptHandle(got.get(1).receiptHandle())
                            .visibilityTimeout(43_201)
                            .build()));

    assertThat(answer.successful()).extracting(s -> s.id()).containsExactly("shown", "kept");
    assertThat(answer.failed())
        .extracting(f -> f.id() + " " + f.code())
        .containsExactly("forged ReceiptHandleIsInvalid", "too-long InvalidParameterValue");
    assertThat(receive(url, 0)).extracting(Message::body).containsExactly(shown.body());
  }

  @Test
  void purgeQueueDropsWaitingMessagesAndLeavesReceivedOnes() {
    String url = queue("sqs-purge", 5);
    sqs.sendMessage(r -> r.queueUrl(url).messageBody("held"));
    Message held = receive(url, 5).getFirst();
    sqs.sendMessageBatch(
        r ->
            r.queueUrl(url)
                .entries(
                    e -> e.id("1").messageBody("waiting"),
                    e -> e.id("2").messageBody("delayed").delaySeconds(600)));

    sqs.purgeQueue(r -> r.queueUrl(url));

    assertThat(attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo("0");
    assertThat(attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
        .isEqualTo("0");
    assertThat(attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .isEqualTo("1");
    sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(held.receiptHandle()));
  }

  @Test
  void purgeQueueOfADeadLetterQueuePurgesItsDeadLetters() {
    String url = queue("sqs-purge-dead", 1);
    deadLetter(url, "one", "two");
    String dlq = sqs.getQueueUrl(r -> r.queueName("sqs-purge-dead-dlq")).queueUrl();
    assertThat(attribute(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo("2");

    sqs.purgeQueue(r -> r.queueUrl(dlq));

    assertThat(attribute(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo("0");
    assertThat(TestHerald.get(herald, "/v1/targets/sqs-purge-dead/dlq").body().path("entries"))
        .isEmpty();
  }

  @Test
  void aReceivedDeadLetterStaysHiddenUntilItsVisibilityChanges() {
    String url = queue("sqs-dead-visibility", 1);
    deadLetter(url, "dead");
    String dlq = sqs.getQueueUrl(r -> r.queueName("sqs-dead-visibility-dlq")).queueUrl();

    List<Message> first = receive(dlq, 0);
    assertThat(first).hasSize(1);
    assertThat(receive(dlq, 0)).as("hidden for its visibility timeout").isEmpty();
    sqs.changeMessageVisibility(
        r -> r.queueUrl(dlq).receiptHandle(first.getFirst().receiptHandle()).visibilityTimeout(0));

    assertThat(receive(dlq, 0))
        .extracting(Message::messageId)
        .containsExactly(first.getFirst().messageId());
    assertThatThrownBy(
            () ->
                sqs.changeMessageVisibility(
                    r -> r.queueUrl(dlq).receiptHandle("no-such-letter").visibilityTimeout(0)))
        .isInstanceOf(
            software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException.class);
  }

  @Test
  void aMessageMoveTaskAnswersAtOnceAndReportsItsProgressUntilCompleted() {
    String url = queue("sqs-move", 1);
    deadLetter(url, "a", "b", "c");
    String source = "arn:aws:sqs:local:000000000000:sqs-move-dlq";

    String handle = sqs.startMessageMoveTask(r -> r.sourceArn(source)).taskHandle();

    assertThat(handle).isNotBlank();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(sqs.listMessageMoveTasks(r -> r.sourceArn(source)).results())
                    .singleElement()
                    .extracting(ListMessageMoveTasksResultEntry::status)
                    .isEqualTo("COMPLETED"));
    ListMessageMoveTasksResultEntry task =
        sqs.listMessageMoveTasks(r -> r.sourceArn(source).maxResults(10)).results().getFirst();
    assertThat(task.taskHandle()).isEqualTo(handle);
    assertThat(task.approximateNumberOfMessagesMoved()).isEqualTo(3);
    assertThat(task.approximateNumberOfMessagesToMove()).isEqualTo(3);
    assertThat(task.destinationArn()).isEqualTo("arn:aws:sqs:local:000000000000:sqs-move");
    assertThat(receive(url, 20)).extracting(Message::body).isNotEmpty();
    assertThatThrownBy(() -> sqs.cancelMessageMoveTask(r -> r.taskHandle(handle)))
        .as("a finished task cannot be cancelled")
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void moveTaskOperationsRejectBadArguments() {
    queue("sqs-move-bad", 1);
    assertThatThrownBy(
            () ->
                sqs.listMessageMoveTasks(
                    r ->
                        r.sourceArn("arn:aws:sqs:local:000000000000:sqs-move-bad-dlq")
                            .maxResults(11)))
        .isInstanceOfSatisfying(
            SqsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    assertThatThrownBy(
            () ->
                sqs.listMessageMoveTasks(
                    r -> r.sourceArn("arn:aws:sqs:local:000000000000:no-such-target-dlq")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> sqs.cancelMessageMoveTask(r -> r.taskHandle("unknown")))
        .isInstanceOf(ResourceNotFoundException.class);
  }
}
