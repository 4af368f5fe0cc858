package dev.herald.api.delivery;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt to hand an event to a target.
 *
 * @param deliveryKey stable across attempts; receivers deduplicate on it
 * @param attempt 1 for the first attempt
 * @param input the bytes to deliver (the delivered envelope or the shaped input); not copied,
 *     callers must not change them afterwards
 * @param json whether {@code input} is JSON (otherwise plain text)
 * @param deadline when the attempt must have answered; past it the target answers {@code Retry
 *     "Timeout"}
 */
public record Delivery(
    String deliveryKey,
    String eventId,
    String rule,
    int attempt,
    byte[] input,
    boolean json,
    Optional<String> traceparent,
    Instant deadline) {

  public Delivery {
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(traceparent, "traceparent");
    Objects.requireNonNull(deadline, "deadline");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
    }
  }
}
