package dev.herald.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A delivery of an unordered target scheduled to be attempted again: the target record to hand back
 * to delivery when it is due. Equality compares the bytes of {@code payload} and {@code recordKey};
 * the arrays are not copied, so do not change them after passing them on.
 *
 * @param deliveryKey the delivery's stable key; at most one retry is scheduled per key
 * @param target the target to deliver to
 * @param dueAt when the attempt is due
 * @param attempt the number of the attempt to make (1 for the first)
 * @param eventId the event delivered
 * @param rule the rule that matched the event
 * @param metadata what the target record carried besides its value and key
 * @param payload the target record's value
 * @param recordKey the target record's key, if it has one
 * @param firstAttemptAt when the first attempt was made
 */
public record ScheduledRetry(
    String deliveryKey,
    String target,
    Instant dueAt,
    int attempt,
    String eventId,
    String rule,
    RetryMetadata metadata,
    byte[] payload,
    Optional<byte[]> recordKey,
    Instant firstAttemptAt) {

  public ScheduledRetry {
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(dueAt, "dueAt");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(recordKey, "recordKey");
    Objects.requireNonNull(firstAttemptAt, "firstAttemptAt");
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must not be negative, got " + attempt);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ScheduledRetry r
        && deliveryKey.equals(r.deliveryKey)
        && target.equals(r.target)
        && dueAt.equals(r.dueAt)
        && attempt == r.attempt
        && eventId.equals(r.eventId)
        && rule.equals(r.rule)
        && metadata.equals(r.metadata)
        && Arrays.equals(payload, r.payload)
        && Arrays.equals(recordKey.orElse(null), r.recordKey.orElse(null))
        && recordKey.isPresent() == r.recordKey.isPresent()
        && firstAttemptAt.equals(r.firstAttemptAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(deliveryKey, target, dueAt, attempt, eventId, Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return "ScheduledRetry[deliveryKey=%s, target=%s, dueAt=%s, attempt=%d, eventId=%s, rule=%s, metadata=%s, payload=%d bytes, recordKey=%s, firstAttemptAt=%s]"
        .formatted(
            deliveryKey,
            target,
            dueAt,
            attempt,
            eventId,
            rule,
            metadata,
            payload.length,
            recordKey.map(k -> k.length + " bytes").orElse("none"),
            firstAttemptAt);
  }
}
