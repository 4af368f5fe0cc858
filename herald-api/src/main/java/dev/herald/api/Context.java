package dev.herald.api;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link EventHandler} knows about the attempt it is handling.
 *
 * @param target the name of the {@code function} target
 * @param rule the rule that matched the event
 * @param eventId the event's id
 * @param deliveryKey stable across all attempts of one delivery (one event, rule and target, and
 *     replay): the idempotency key to drop a repeated delivery with
 * @param attempt 1 for the first attempt
 * @param deadline when the attempt must have returned; past it the attempt counts as a timeout and
 *     the handler's thread is interrupted
 * @param logger a logger named {@code herald.function.<target>}, written to Herald's log with the
 *     target, rule, event id and delivery key attached
 */
public record Context(
    String target,
    String rule,
    String eventId,
    String deliveryKey,
    int attempt,
    Instant deadline,
    System.Logger logger) {

  public Context {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(logger, "logger");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
    }
  }
}
