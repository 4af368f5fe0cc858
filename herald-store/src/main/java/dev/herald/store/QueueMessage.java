package dev.herald.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A delivery to put in a queue target's queue ({@link QueueStore#enqueueMessages}).
 *
 * @param queue the queue target's name
 * @param deliveryKey the delivery's stable key: a queue takes each key once
 * @param eventId the event delivered
 * @param rule the rule that matched the event
 * @param body what the rule delivered: the delivered envelope or its shaped input
 * @param json whether {@code body} is JSON (otherwise plain text)
 * @param envelope the delivered envelope (JSON text) when {@code body} is a shaped input, kept for
 *     the dead letter the message may become; empty when {@code body} is the envelope
 * @param enqueuedAt when it was enqueued
 * @param delay how long after {@code enqueuedAt} it becomes visible (SQS {@code DelaySeconds});
 *     zero for at once
 */
public record QueueMessage(
    String queue,
    String deliveryKey,
    String eventId,
    String rule,
    String body,
    boolean json,
    Optional<String> envelope,
    Instant enqueuedAt,
    Duration delay) {

  public QueueMessage {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, got " + delay);
    }
  }

  /** A message visible as soon as it is enqueued. */
  public QueueMessage(
      String queue,
      String deliveryKey,
      String eventId,
      String rule,
      String body,
      boolean json,
      Optional<String> envelope,
      Instant enqueuedAt) {
    this(queue, deliveryKey, eventId, rule, body, json, envelope, enqueuedAt, Duration.ZERO);
  }

  /** When it becomes visible. */
  public Instant visibleAt() {
    return enqueuedAt.plus(delay);
  }
}
