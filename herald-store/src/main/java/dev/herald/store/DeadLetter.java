package dev.herald.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A delivery that will not be attempted again on its own: its target's dead-letter queue entry.
 *
 * @param id the dead letter's id, assigned by the store: sortable by when the store first received
 *     it (26 characters of Crockford base32, time first). Pass {@code null} or {@code ""} to {@link
 *     DeadLetterStore#addDeadLetters}; a non-empty id given there is kept as it is.
 * @param target the target the delivery was for
 * @param deliveryKey the delivery's stable key; a target holds at most one dead letter per key
 * @param eventId the event delivered
 * @param rule the rule that matched the event
 * @param envelopeJson the delivered envelope (or the shaped input), JSON text
 * @param attempts how many attempts were made (0 when routing itself failed, e.g. a transform)
 * @param errorCode the last error's code, e.g. {@code HttpStatus503} or {@code TransformError}
 * @param errorMessage the last error's message
 * @param firstAttemptAt when the first attempt was made (or routing failed)
 * @param lastAttemptAt when the last attempt was made
 */
public record DeadLetter(
    String id,
    String target,
    String deliveryKey,
    String eventId,
    String rule,
    String envelopeJson,
    int attempts,
    String errorCode,
    String errorMessage,
    Instant firstAttemptAt,
    Instant lastAttemptAt) {

  public DeadLetter {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(envelopeJson, "envelopeJson");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(errorMessage, "errorMessage");
    Objects.requireNonNull(firstAttemptAt, "firstAttemptAt");
    Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative, got " + attempts);
    }
  }

  /** This dead letter with the id {@code newId}. */
  public DeadLetter withId(String newId) {
    return new DeadLetter(
        newId,
        target,
        deliveryKey,
        eventId,
        rule,
        envelopeJson,
        attempts,
        errorCode,
        errorMessage,
        firstAttemptAt,
        lastAttemptAt);
  }
}
