package dev.herald.server.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.auth.Scope;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.json.Json;
import dev.herald.server.queue.Queues;
import dev.herald.store.ConfigStore;
import dev.herald.store.QueueDepth;
import dev.herald.store.Stored;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * SQS's JSON protocol ({@code X-Amz-Target: AmazonSQS.<Op>}) on the queues of {@code queue} targets
 * ({@link Queues}, as the native queue API) and on each target's dead letters as the queue {@code
 * <target>-dlq} ({@link SqsDeadLetterQueue}). Queue URLs are {@code
 * http(s)://<Host>/<account>/<name>} on the host the request was sent to; only their last segment
 * counts. Stateless; thread-safe.
 */
public final class SqsApi {
  static final String DLQ_SUFFIX = dev.herald.core.config.TargetSpecs.DEAD_LETTER_QUEUE_SUFFIX;
  static final int MAX_BATCH = 10;
  static final int MAX_WAIT_SECONDS = 20;
  static final int MAX_VISIBILITY_SECONDS = 12 * 3600;
  static final int MAX_DELAY_SECONDS = 900;

  private final Queues queues;
  private final ConfigStore config;
  private final SqsDeadLetterQueue deadLetters;
  private final SqsMoveTasks moves;
  private final Arns arns;
  private final String scheme;

  public SqsApi(
      Queues queues,
      ConfigStore config,
      SqsDeadLetterQueue deadLetters,
      SqsMoveTasks moves,
      Arns arns,
      boolean tls) {
    this.queues = queues;
    this.config = config;
    this.deadLetters = deadLetters;
    this.moves = moves;
    this.arns = arns;
    this.scheme = tls ? "https" : "http";
  }

  ObjectNode handle(AwsCall call) {
    return switch (call.operation()) {
      case "GetQueueUrl" -> getQueueUrl(call);
      case "ListQueues" -> listQueues(call);
      case "GetQueueAttributes" -> getQueueAttributes(call);
      case "ReceiveMessage" -> receive(call);
      case "DeleteMessage" -> delete(call);
      case "DeleteMessageBatch" -> deleteBatch(call);
      case "ChangeMessageVisibility" -> changeVisibility(call);
      case "ChangeMessageVisibilityBatch" -> changeVisibilityBatch(call);
      case "SendMessage" -> send(call);
      case "SendMessageBatch" -> sendBatch(call);
      case "PurgeQueue" -> purge(call);
      case "StartMessageMoveTask" -> moves.start(call);
      case "ListMessageMoveTasks" -> moves.list(call);
      case "CancelMessageMoveTask" -> moves.cancel(call);
      default ->
          throw new AwsError(
              400,
              "UnknownOperationException",
              "unknown operation 'AmazonSQS." + call.operation() + "'");
    };
  }

  static AwsError noSuchQueue(String message) {
    return new AwsError(
        400, "QueueDoesNotExist", message, "AWS.SimpleQueueService.NonExistentQueue");
  }

  private static AwsError missing(String message) {
    return new AwsError(400, "MissingParameter", message);
  }

  private ObjectNode getQueueUrl(AwsCall call) {
    String name = call.required("QueueName", SqsApi::missing);
    requireReadable(call, name);
    requireExists(name);
    return Json.object().put("QueueUrl", url(call, name));
  }

  private ObjectNode listQueues(AwsCall call) {
    String prefix = call.text("QueueNamePrefix").orElse("");
    int max = call.integer("MaxResults").orElse(1000);
    ObjectNode answer = Json.object();
    ArrayNode urls = answer.putArray("QueueUrls");
    for (Stored<TargetSpec> target : config.targets()) {
      List<String> names = new ArrayList<>();
      if (target.spec().type().equals("queue")) {
        names.add(target.spec().name());
      }
      names.add(target.spec().name() + DLQ_SUFFIX);
      for (String name : names) {
        if (name.startsWith(prefix) && urls.size() < max && mayRead(call, name)) {
          urls.add(url(call, name));
        }
      }
    }
    return answer;
  }

  private ObjectNode getQueueAttributes(AwsCall call) {
    String name = queueName(call);
    requireReadable(call, name);
    Map<String, String> all = new TreeMap<>();
    all.put("QueueArn", arns.queue(name));
    Optional<String> dlqOf = deadLetters.targetOf(name);
    if (dlqOf.isPresent()) {
      all.put("ApproximateNumberOfMessages", Long.toString(deadLetters.count(dlqOf.get())));
      all.put("ApproximateNumberOfMessagesNotVisible", "0");
      all.put("ApproximateNumberOfMessagesDelayed", "0");
    } else {
      Queues.Queue queue = queues.require(name);
      QueueDepth depth = queues.depth(queue);
      all.put("ApproximateNumberOfMessages", Long.toString(depth.visible()));
      all.put("ApproximateNumberOfMessagesNotVisible", Long.toString(depth.inFlight()));
      all.put("ApproximateNumberOfMessagesDelayed", Long.toString(depth.delayed()));
      all.put("VisibilityTimeout", Long.toString(queue.visibility().toSeconds()));
      all.put(
          "RedrivePolicy",
          Json.object()
              .put("deadLetterTargetArn", arns.queue(name + DLQ_SUFFIX))
              .put("maxReceiveCount", queue.maxReceives())
              .toString());
    }
    List<String> wanted = call.strings("AttributeNames");
    ObjectNode attributes = Json.object();
    all.forEach(
        (k, v) -> {
          if (wanted.contains("All") || wanted.contains(k)) {
            attributes.put(k, v);
          }
        });
    ObjectNode answer = Json.object();
    answer.set("Attributes", attributes);
    return answer;
  }

  private ObjectNode receive(AwsCall call) {
    String name = queueName(call);
    call.require(Scope.queue(name));
    int max = bounded(call, "MaxNumberOfMessages", 1, 1, MAX_BATCH);
    int wait = bounded(call, "WaitTimeSeconds", 0, 0, MAX_WAIT_SECONDS);
    Optional<Duration> visibility =
        call.integer("VisibilityTimeout").isEmpty()
            ? Optional.empty()
            : Optional.of(
                Duration.ofSeconds(
                    Math.max(1, bounded(call, "VisibilityTimeout", 0, 0, MAX_VISIBILITY_SECONDS))));
    List<String> wanted = call.strings("MessageAttributeNames");
    List<String> system = new ArrayList<>(call.strings("AttributeNames"));
    system.addAll(call.strings("MessageSystemAttributeNames"));
    List<SqsMessages.Rendered> received;
    Optional<String> dlqOf = deadLetters.targetOf(name);
    if (dlqOf.isPresent()) {
      received = deadLetters.receive(dlqOf.get(), max, visibility);
    } else {
      received = new ArrayList<>();
      for (Queues.Message m :
          queues.receive(queues.require(name), max, Duration.ofSeconds(wait), visibility)) {
        received.add(rendered(m));
      }
    }
    ObjectNode answer = Json.object();
    if (!received.isEmpty()) {
      ArrayNode messages = answer.putArray("Messages");
      received.forEach(m -> messages.add(SqsMessages.json(m, wanted, system)));
    }
    return answer;
  }

  private static SqsMessages.Rendered rendered(Queues.Message m) {
    Map<String, String> attributes = new TreeMap<>();
    attributes.put("herald.eventId", m.eventId());
    attributes.put("herald.deliveryKey", m.deliveryKey());
    if (!m.rule().isEmpty()) {
      attributes.put("herald.rule", m.rule());
    }
    attributes.put("herald.enqueuedAt", m.enqueuedAt().toString());
    Map<String, String> system = new TreeMap<>();
    system.put("ApproximateReceiveCount", Integer.toString(m.receiveCount()));
    system.put("SentTimestamp", Long.toString(m.enqueuedAt().toEpochMilli()));
    return new SqsMessages.Rendered(m.messageId(), m.receiptHandle(), m.body(), attributes, system);
  }

  private ObjectNode delete(AwsCall call) {
    String name = queueName(call);
    call.require(Scope.queue(name));
    String handle = call.required("ReceiptHandle", SqsApi::missing);
    Optional<AwsError> failure = deleteAll(name, List.of(handle)).get(handle);
    if (failure.isPresent()) {
      throw failure.get();
    }
    return Json.object();
  }

  /**
   * Deletes the messages of these handles, all in one store call; a handle whose lease is over
   * counts as done, as on SQS. The failure of each handle, if any.
   */
  private Map<String, Optional<AwsError>> deleteAll(String name, List<String> handles) {
    Map<String, Optional<AwsError>> out = new java.util.HashMap<>();
    Optional<String> dlqOf = deadLetters.targetOf(name);
    if (dlqOf.isPresent()) {
      for (String handle : handles) {
        out.put(handle, deadLetters.delete(dlqOf.get(), handle));
      }
      return out;
    }
    for (String handle : handles) {
      out.put(handle, Optional.empty());
    }
    Queues.Settled settled = queues.ack(queues.require(name), handles);
    for (Queues.Failure f : settled.failed()) {
      if (f.code().equals(Queues.INVALID_RECEIPT_HANDLE)) {
        out.put(f.receiptHandle(), Optional.of(invalidHandle(f.receiptHandle())));
      }
    }
    return out;
  }

  static AwsError invalidHandle(String handle) {
    return new AwsError(
        400,
        "ReceiptHandleIsInvalid",
        "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
  }

  private ObjectNode deleteBatch(AwsCall call) {
    String name = queueName(call);
    call.require(Scope.queue(name));
    List<ObjectNode> entries = SqsMessages.batch(call);
    List<String> handles = new ArrayList<>();
    for (ObjectNode entry : entries) {
      handles.add(entry.path("ReceiptHandle").asText(""));
    }
    Map<String, Optional<AwsError>> failures = deleteAll(name, handles);
    ObjectNode answer = Json.object();
    ArrayNode ok = answer.putArray("Successful");
    ArrayNode failed = answer.putArray("Failed");
    for (ObjectNode entry : entries) {
      String id = entry.path("Id").asText();
      Optional<AwsError> failure = failures.get(entry.path("ReceiptHandle").asText(""));
      if (failure.isPresent()) {
        failed(failed, id, failure.get());
      } else {
        ok.addObject().put("Id", id);
      }
    }
    return answer;
  }

  private static void failed(ArrayNode failed, String id, AwsError error) {
    failed
        .addObject()
        .put("Id", id)
        .put("SenderFault", true)
        .put("Code", error.code())
        .put("Message", error.getMessage());
  }

  private ObjectNode changeVisibility(AwsCall call) {
    String name = queueName(call);
    call.require(Scope.queue(name));
    String handle = call.required("ReceiptHandle", SqsApi::missing);
    if (call.integer("VisibilityTimeout").isEmpty()) {
      throw missing("VisibilityTimeout is required");
    }
    Duration visibility =
        Duration.ofSeconds(bounded(call, "VisibilityTimeout", 0, 0, MAX_VISIBILITY_SECONDS));
    Optional<AwsError> failure = changeOne(name, handle, visibility);
    if (failure.isPresent()) {
      throw failure.get();
    }
    return Json.object();
  }

  private ObjectNode changeVisibilityBatch(AwsCall call) {
    String name = queueName(call);
    call.require(Scope.queue(name));
    List<ObjectNode> entries = SqsMessages.batch(call);
    ObjectNode answer = Json.object();
    ArrayNode ok = answer.putArray("Successful");
    ArrayNode failed = answer.putArray("Failed");
    for (ObjectNode entry : entries) {
      String id = entry.path("Id").asText();
      String handle = entry.path("ReceiptHandle").asText("");
      JsonNode seconds = entry.path("VisibilityTimeout");
      Optional<AwsError> failure;
      if (handle.isEmpty()) {
        failure = Optional.of(missing("ReceiptHandle is required"));
      } else if (!seconds.canConvertToInt()) {
        failure = Optional.of(missing("VisibilityTimeout is required"));
      } else if (seconds.asInt() < 0 || seconds.asInt() > MAX_VISIBILITY_SECONDS) {
        failure =
            Optional.of(
                outOfRange("VisibilityTimeout", seconds.asInt(), 0, MAX_VISIBILITY_SECONDS));
      } else {
        failure = changeOne(name, handle, Duration.ofSeconds(seconds.asInt()));
      }
      if (failure.isPresent()) {
        failed(failed, id, failure.get());
      } else {
        ok.addObject().put("Id", id);
      }
    }
    return answer;
  }

  /** Changes the visibility of one handle's message; the failure, if any. */
  private Optional<AwsError> changeOne(String name, String handle, Duration visibility) {
    Optional<String> dlqOf = deadLetters.targetOf(name);
    if (dlqOf.isPresent()) {
      return deadLetters.changeVisibility(dlqOf.get(), handle, visibility);
    }
    Optional<String> failure = queues.changeVisibility(queues.require(name), handle, visibility);
    return failure.map(
        code ->
            code.equals(Queues.INVALID_RECEIPT_HANDLE)
                ? invalidHandle(handle)
                : new AwsError(
                    400,
                    "MessageNotInflight",
                    "The message referred to is not in flight (its visibility timeout passed, or"
                        + " it was received again or deleted).",
                    "AWS.SimpleQueueService.MessageNotInflight"));
  }

  /**
   * PurgeQueue: a queue target drops the messages no consumer holds (visible and delayed ones); a
   * dead-letter queue {@code <target>-dlq} purges every dead letter, as {@code DELETE
   * /v1/targets/{target}/dlq?all=true}. Both need {@code admin}, as the native purge does.
   */
  private ObjectNode purge(AwsCall call) {
    String name = queueName(call);
    call.require(Scope.ADMIN);
    Optional<String> dlqOf = deadLetters.targetOf(name);
    if (dlqOf.isPresent()) {
      deadLetters.purge(dlqOf.get());
    } else {
      queues.purge(queues.require(name));
    }
    return Json.object();
  }

  private ObjectNode send(AwsCall call) {
    String name = queueName(call);
    call.require(Scope.queue(name));
    return sendOne(name, call.body());
  }

  private ObjectNode sendOne(String name, ObjectNode entry) {
    if (deadLetters.targetOf(name).isPresent()) {
      throw new AwsError(
          400,
          "UnsupportedOperation",
          "a dead-letter queue takes no new messages; redrive it with StartMessageMoveTask");
    }
    String body = entry.path("MessageBody").asText("");
    if (body.isEmpty()) {
      throw missing("MessageBody is required");
    }
    JsonNode delay = entry.path("DelaySeconds");
    if (!delay.isMissingNode() && !delay.isNull() && !delay.canConvertToInt()) {
      throw AwsError.sqsInvalid("DelaySeconds must be a whole number of seconds");
    }
    int delaySeconds = delay.asInt(0);
    if (delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
      throw outOfRange("DelaySeconds", delaySeconds, 0, MAX_DELAY_SECONDS);
    }
    String messageId =
        queues.send(queues.require(name), body, isJson(body), Duration.ofSeconds(delaySeconds));
    ObjectNode answer =
        Json.object().put("MessageId", messageId).put("MD5OfMessageBody", SqsMessages.md5(body));
    if (entry.get("MessageAttributes") instanceof ObjectNode attributes && !attributes.isEmpty()) {
      // answered so that the SDK's check passes; Herald does not keep a sent message's attributes
      answer.put("MD5OfMessageAttributes", SqsMessages.md5OfSent(attributes));
    }
    return answer;
  }

  private ObjectNode sendBatch(AwsCall call) {
    String name = queueName(call);
    call.require(Scope.queue(name));
    List<ObjectNode> entries = SqsMessages.batch(call);
    ObjectNode answer = Json.object();
    ArrayNode ok = answer.putArray("Successful");
    ArrayNode failed = answer.putArray("Failed");
    for (ObjectNode entry : entries) {
      String id = entry.path("Id").asText();
      try {
        ok.add(sendOne(name, entry).put("Id", id));
      } catch (AwsError e) {
        failed(failed, id, e);
      }
    }
    return answer;
  }

  private static boolean isJson(String body) {
    try {
      var node = Json.MAPPER.readTree(body);
      return node != null && (node.isObject() || node.isArray());
    } catch (IOException e) {
      return false;
    }
  }

  private static int bounded(AwsCall call, String member, int fallback, int min, int max) {
    int value = call.integer(member).orElse(fallback);
    if (value < min || value > max) {
      throw outOfRange(member, value, min, max);
    }
    return value;
  }

  /** SQS's error for a parameter out of its range ({@code InvalidParameterValue}). */
  static AwsError outOfRange(String member, int value, int min, int max) {
    return AwsError.sqsInvalid(
        "Value "
            + value
            + " for parameter "
            + member
            + " is invalid. Reason: must be between "
            + min
            + " and "
            + max
            + ".");
  }

  /** The queue a call's QueueUrl names (its last path segment). */
  private static String queueName(AwsCall call) {
    String url = call.required("QueueUrl", SqsApi::missing);
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  private void requireExists(String name) {
    Optional<String> dlqOf = deadLetters.targetOf(name);
    if (dlqOf.isEmpty()) {
      queues.require(name); // QueueNotFound → QueueDoesNotExist
    }
  }

  private boolean mayRead(AwsCall call, String name) {
    return call.principal().allows(Scope.READ) || call.principal().allows(Scope.queue(name));
  }

  private void requireReadable(AwsCall call, String name) {
    if (!mayRead(call, name)) {
      call.require(Scope.queue(name));
    }
  }

  private String url(AwsCall call, String name) {
    return scheme + "://" + call.host() + "/" + arns.account() + "/" + name;
  }
}
