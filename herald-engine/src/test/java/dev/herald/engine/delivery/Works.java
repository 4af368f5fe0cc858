package dev.herald.engine.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/** Work for the engine's delivery tests. */
final class Works {
  private Works() {}

  static Work first(String target, String deliveryKey, Instant now) {
    return new Work(
        target,
        deliveryKey,
        "event-" + deliveryKey,
        "default",
        "rule",
        1,
        "{}".getBytes(StandardCharsets.UTF_8),
        true,
        Optional.empty(),
        Optional.empty(),
        now,
        now,
        false,
        0,
        Optional.empty());
  }

  static Work retry(String target, String deliveryKey, int attempt, Instant now) {
    Work first = first(target, deliveryKey, now);
    return new Work(
        first.target(),
        first.deliveryKey(),
        first.eventId(),
        first.bus(),
        first.rule(),
        attempt,
        first.input(),
        first.json(),
        first.traceparent(),
        first.recordKey(),
        first.ingestedAt(),
        first.firstAttemptAt(),
        true,
        0,
        Optional.empty());
  }
}
