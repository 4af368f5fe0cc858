package dev.herald.analytics;

import java.time.Instant;
import java.util.Objects;

/**
 * One delivered event as the analytics store keeps it.
 *
 * @param deliveryKey the delivery's key: the store counts each key once
 * @param eventId the event's id
 * @param bus the bus the event was published on
 * @param source the event's {@code source}
 * @param detailType the event's {@code detail-type}
 * @param time the event's {@code time} (client-supplied or the ingestion time); counts are kept per
 *     minute of it
 * @param ingestedAt when Herald stored the event
 * @param deliveredAt when the analytics target received it
 * @param envelope the delivered envelope, JSON
 */
public record AnalyticsRow(
    String deliveryKey,
    String eventId,
    String bus,
    String source,
    String detailType,
    Instant time,
    Instant ingestedAt,
    Instant deliveredAt,
    String envelope) {

  public AnalyticsRow {
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(detailType, "detailType");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(ingestedAt, "ingestedAt");
    Objects.requireNonNull(deliveredAt, "deliveredAt");
    Objects.requireNonNull(envelope, "envelope");
  }

  /** The minute of {@link #time} that counts it, in minutes since the epoch. */
  public long minute() {
    return Math.floorDiv(time.getEpochSecond(), 60);
  }

  /** Roughly what the row weighs in memory while queued, for the appender's byte budget. */
  public long weight() {
    return 200L
        + 2L
            * (deliveryKey.length()
                + eventId.length()
                + bus.length()
                + source.length()
                + detailType.length()
                + envelope.length());
  }
}
