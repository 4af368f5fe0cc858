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
 * @param hops how many times {@code bus} targets have re-published the event before it reached this
 *     delivery: 0 for an event a producer published, n + 1 for an event a bus target re-published
 *     from one with n hops; bus targets refuse to go on past their limit (loops)
 * @param replayName the replay that made this delivery, if a replay did (webhooks send it as the
 *     {@code herald-replay-name} header)
 */
public record Delivery(
    String deliveryKey,
    String eventId,
    String rule,
    int attempt,
    byte[] input,
    boolean json,
    Optional<String> traceparent,
    Instant deadline,
    int hops,
    Optional<String> replayName) {

  public Delivery {
    Objects.requireNonNull(replayName, "replayName");
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(traceparent, "traceparent");
    Objects.requireNonNull(deadline, "deadline");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
    }
    if (hops < 0) {
      throw new IllegalArgumentException("hops must not be negative, got " + hops);
    }
  }

  /** A delivery that no replay made. */
  public Delivery(
      String deliveryKey,
      String eventId,
      String rule,
      int attempt,
      byte[] input,
      boolean json,
      Optional<String> traceparent,
      Instant deadline,
      int hops) {
    this(
        deliveryKey,
        eventId,
        rule,
        attempt,
        input,
        json,
        traceparent,
        deadline,
        hops,
        Optional.empty());
  }

  /** A delivery of an event that no bus target has re-published (0 hops). */
  public Delivery(
      String deliveryKey,
      String eventId,
      String rule,
      int attempt,
      byte[] input,
      boolean json,
      Optional<String> traceparent,
      Instant deadline) {
    this(deliveryKey, eventId, rule, attempt, input, json, traceparent, deadline, 0);
  }
}
