package dev.herald.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a scheduled retry keeps of its target record besides the payload and key, so that the
 * attempt made when it is due looks like the first one.
 *
 * @param bus the event's bus
 * @param json true when the payload is JSON (the envelope or a JSON input), false for text input
 * @param ingestedAt when the event was ingested (event age counts from here)
 * @param traceparent the W3C trace context carried from ingest, if any
 * @param hops how many times the event was re-published by bus targets (a retry keeps a loop's
 *     count)
 * @param replay the replay that made the delivery, if one did
 */
public record RetryMetadata(
    String bus,
    boolean json,
    Instant ingestedAt,
    Optional<String> traceparent,
    int hops,
    Optional<String> replay) {

  /** The metadata of a delivery that no replay made. */
  public RetryMetadata(
      String bus, boolean json, Instant ingestedAt, Optional<String> traceparent, int hops) {
    this(bus, json, ingestedAt, traceparent, hops, Optional.empty());
  }

  public RetryMetadata {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(ingestedAt, "ingestedAt");
    Objects.requireNonNull(traceparent, "traceparent");
    Objects.requireNonNull(replay, "replay");
    if (hops < 0) {
      throw new IllegalArgumentException("hops must not be negative, got " + hops);
    }
  }
}
