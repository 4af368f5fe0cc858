package dev.herald.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A producer-supplied id of an entry and the event id Herald stored for it, kept for a few minutes
 * so that a producer retrying the same entry gets the same event instead of a duplicate.
 *
 * @param bus the bus the entry was published to
 * @param clientId the producer's id of the entry, unique per bus within the dedupe window
 * @param eventId the id Herald assigned to the stored event
 * @param recordedAt when the event was stored; the dedupe window counts from here
 */
public record ClientIdRecord(String bus, String clientId, String eventId, Instant recordedAt) {

  public ClientIdRecord {
    requireText(bus, "bus");
    requireText(clientId, "clientId");
    requireText(eventId, "eventId");
    Objects.requireNonNull(recordedAt, "recordedAt");
  }

  private static void requireText(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
  }
}
