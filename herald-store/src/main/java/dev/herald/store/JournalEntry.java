package dev.herald.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The latest state of one delivery in the delivery journal (one entry per delivery key).
 *
 * @param deliveryKey the delivery's stable key (see ARCHITECTURE.md, "Envelopes and keys")
 * @param eventId the event delivered
 * @param bus the event's bus
 * @param rule the rule that matched the event
 * @param target the target delivered to
 * @param status the delivery's status; once {@link DeliveryStatus#DELIVERED}, stored so for good
 * @param attempts attempts made so far; the store keeps the highest count it was given
 * @param errorCode the last error's code, e.g. {@code HttpStatus503}
 * @param errorMessage the last error's message
 * @param firstAttemptAt when the first attempt was made
 * @param lastAttemptAt when the last attempt was made
 * @param deliveredAt when the delivery succeeded
 */
public record JournalEntry(
    String deliveryKey,
    String eventId,
    String bus,
    String rule,
    String target,
    DeliveryStatus status,
    int attempts,
    Optional<String> errorCode,
    Optional<String> errorMessage,
    Optional<Instant> firstAttemptAt,
    Optional<Instant> lastAttemptAt,
    Optional<Instant> deliveredAt) {

  public JournalEntry {
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(errorMessage, "errorMessage");
    Objects.requireNonNull(firstAttemptAt, "firstAttemptAt");
    Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
    Objects.requireNonNull(deliveredAt, "deliveredAt");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative, got " + attempts);
    }
  }

  /** True when the delivery succeeded: it must not be invoked again. */
  public boolean isDelivered() {
    return status == DeliveryStatus.DELIVERED;
  }
}
