package dev.herald.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A message handed out by one receive ({@link QueueStore#receiveMessages}), leased until {@code
 * visibleAt}.
 *
 * @param messageId the message's id, assigned by the store when it was enqueued
 * @param leaseToken new and random for each receive: only this receive's lease can ack, nack or
 *     extend the message
 * @param receiveCount how many times the message has been received, this receive included
 * @param visibleAt when the lease ends and the message is visible again, unless acked
 */
public record ReceivedMessage(
    String messageId,
    String leaseToken,
    int receiveCount,
    String queue,
    String deliveryKey,
    String eventId,
    String rule,
    String body,
    boolean json,
    Instant enqueuedAt,
    Instant visibleAt) {

  public ReceivedMessage {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(leaseToken, "leaseToken");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    Objects.requireNonNull(visibleAt, "visibleAt");
  }

  /** The lease this receive holds. */
  public QueueLease lease() {
    return new QueueLease(messageId, leaseToken);
  }
}
