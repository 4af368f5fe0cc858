package dev.herald.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The queues of {@code queue} targets ({@link HeraldClient#queues}): receive (long poll), ack,
 * nack, change visibility, depth. A key needs {@code queue:<target>} (or {@code admin}). Errors are
 * thrown as {@link HeraldClientException}: {@code QueueNotFound} (404) for a target that is not a
 * queue, {@code InvalidField} (400) naming the field. Thread-safe (holds only the client).
 */
public final class Queues {
  private final HeraldClient client;

  Queues(HeraldClient client) {
    this.client = client;
  }

  /** What an ack or nack settled: how many, and the receipt handles it could not, with why. */
  public record Settled(int count, List<Failure> failed) {}

  /**
   * A receipt handle not settled: {@code InvalidReceiptHandle}, or {@code ReceiptHandleExpired}
   * (the lease is over: received again, acked, released or timed out).
   */
  public record Failure(String receiptHandle, String code) {}

  /**
   * Receives up to {@code max} messages (1 to 100), waiting up to {@code wait} (at most 20 s) for
   * the first; each stays invisible to other receivers for the queue's visibility timeout. Keep the
   * client's timeout longer than {@code wait}.
   */
  public List<QueueMessage> receive(String target, int max, Duration wait) {
    return receive(target, max, wait, Optional.empty());
  }

  /** As {@link #receive(String, int, Duration)}, with this receive's own visibility timeout. */
  public List<QueueMessage> receive(
      String target, int max, Duration wait, Optional<Duration> visibility) {
    ObjectNode body =
        HeraldClient.MAPPER.createObjectNode().put("max", max).put("waitSeconds", wait.toSeconds());
    visibility.ifPresent(v -> body.put("visibilitySeconds", v.toSeconds()));
    JsonNode answer = client.call("POST", path(target, "receive"), body.toString());
    List<QueueMessage> messages = new ArrayList<>();
    for (JsonNode m : answer.path("messages")) {
      messages.add(
          new QueueMessage(
              m.path("messageId").asText(),
              m.path("receiptHandle").asText(),
              m.path("receiveCount").asInt(),
              m.path("deliveryKey").asText(),
              m.path("eventId").asText(),
              m.path("rule").asText(),
              m.path("enqueuedAt").asText(),
              m.path("event")));
    }
    return messages;
  }

  /** Deletes received messages (1 to 100 receipt handles). */
  public Settled ack(String target, List<String> receiptHandles) {
    return settled(
        client.call("POST", path(target, "ack"), handles(receiptHandles).toString()), "acked");
  }

  /** Releases received messages for redelivery after {@code delay} (zero: at once). */
  public Settled nack(String target, List<String> receiptHandles, Duration delay) {
    ObjectNode body = handles(receiptHandles).put("delaySeconds", delay.toSeconds());
    return settled(client.call("POST", path(target, "nack"), body.toString()), "nacked");
  }

  /**
   * Sets how long a received message stays invisible, counted from now (zero: visible at once).
   *
   * @throws HeraldClientException {@code InvalidReceiptHandle} or {@code ReceiptHandleExpired}
   *     (400)
   */
  public void changeVisibility(String target, String receiptHandle, Duration visibility) {
    ObjectNode body =
        HeraldClient.MAPPER
            .createObjectNode()
            .put("receiptHandle", receiptHandle)
            .put("visibilitySeconds", visibility.toSeconds());
    client.call("POST", path(target, "visibility"), body.toString());
  }

  /**
   * {@code GET /v1/queues/{target}}: {@code {"queue", "visible", "inFlight", "delayed",
   * "visibilitySeconds", "maxReceives"}}.
   */
  public JsonNode depth(String target) {
    return client.call("GET", "v1/queues/" + HeraldClient.encode(target), null);
  }

  private static String path(String target, String action) {
    return "v1/queues/" + HeraldClient.encode(target) + "/" + action;
  }

  private static ObjectNode handles(List<String> receiptHandles) {
    ObjectNode body = HeraldClient.MAPPER.createObjectNode();
    ArrayNode array = body.putArray("receiptHandles");
    receiptHandles.forEach(array::add);
    return body;
  }

  private static Settled settled(JsonNode answer, String countName) {
    List<Failure> failed = new ArrayList<>();
    for (JsonNode f : answer.path("failed")) {
      failed.add(new Failure(f.path("receiptHandle").asText(), f.path("code").asText()));
    }
    return new Settled(answer.path(countName).asInt(), failed);
  }
}
