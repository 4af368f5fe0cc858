package dev.herald.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One delivery a replay made of an event (a part of the event's journey). Its progress is the
 * journal entry of the same delivery key.
 *
 * @param errorCode set when routing already failed it (e.g. {@code TransformError})
 */
public record ReplayDelivery(
    String deliveryKey,
    String eventId,
    String bus,
    String replay,
    String rule,
    String target,
    Optional<String> errorCode,
    Optional<String> errorMessage,
    Instant replayedAt) {

  public ReplayDelivery {
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(replay, "replay");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(errorMessage, "errorMessage");
    Objects.requireNonNull(replayedAt, "replayedAt");
  }
}
