package dev.herald.engine.delivery;

import dev.herald.engine.router.TargetHeaders;
import java.time.Instant;
import java.util.Optional;

/**
 * One delivery to attempt: read from a target topic (first attempt) or claimed from the scheduled
 * retries (later attempts).
 *
 * @param attempt the number of this attempt, 1 for the first
 * @param fromRetry true when it came from the scheduled retries (the row is completed with it)
 * @param hops how many times bus targets re-published the event (the {@code herald-hops} header; 0
 *     when absent); kept with a scheduled retry
 * @param replay the replay that made this delivery (the {@code herald-replay} header), if any
 */
public record Work(
    String target,
    String deliveryKey,
    String eventId,
    String bus,
    String rule,
    int attempt,
    byte[] input,
    boolean json,
    Optional<String> traceparent,
    Optional<byte[]> recordKey,
    Instant ingestedAt,
    Instant firstAttemptAt,
    boolean fromRetry,
    int hops,
    Optional<String> replay) {

  /** The first attempt of the delivery a target record describes. */
  static Work firstAttempt(
      String target,
      TargetHeaders.Meta meta,
      byte[] input,
      Optional<byte[]> recordKey,
      Instant now,
      Optional<String> replay) {
    return new Work(
        target,
        meta.deliveryKey(),
        meta.eventId(),
        meta.bus(),
        meta.rule(),
        1,
        input,
        meta.json(),
        meta.traceparent(),
        recordKey,
        meta.ingestedAt(),
        now,
        false,
        meta.hops(),
        replay);
  }

  /** The same delivery, one attempt later (an ordered target retrying in place). */
  Work nextAttempt() {
    return new Work(
        target,
        deliveryKey,
        eventId,
        bus,
        rule,
        attempt + 1,
        input,
        json,
        traceparent,
        recordKey,
        ingestedAt,
        firstAttemptAt,
        fromRetry,
        hops,
        replay);
  }

  /** What orders this delivery: its Kafka key, or the delivery itself when it has none. */
  String orderKey() {
    return recordKey.map(k -> java.util.HexFormat.of().formatHex(k)).orElse("#" + deliveryKey);
  }
}
