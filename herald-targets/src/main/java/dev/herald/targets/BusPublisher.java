package dev.herald.targets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code bus} targets publish through: Herald's ingest, so that a re-published event is
 * validated, deduplicated and stored exactly like one a producer published. Implemented by the
 * composition root; must be thread-safe (called from many delivery threads at once).
 */
public interface BusPublisher {

  /**
   * How many times bus targets may re-publish one chain of events: a delivery whose event has
   * already been re-published this often ({@code hops >= MAX_HOPS}) is not published again but
   * becomes a {@code HopLimitExceeded} dead letter, so that a loop of bus targets (a rule on bus X
   * whose target re-publishes on X, or A to B to A) stops.
   */
  int MAX_HOPS = 8;

  /**
   * Publishes one entry of the publish API ({@code {bus, source, detailType, detail, time,
   * resources, id}}) and blocks until it is stored or refused. An entry whose {@code id} was
   * published on the same bus within the ingest dedupe window is not stored again: the answer is
   * the original event id.
   *
   * @param hops the hops the new event carries (those of the delivered event plus one)
   * @param traceparent the delivery's trace context, continued by the new event
   */
  Result publish(ObjectNode entry, int hops, Optional<String> traceparent);

  /** What came of a publish. */
  sealed interface Result {

    /** Stored, or a duplicate of the event stored earlier with the same entry id. */
    record Published(String eventId) implements Result {
      public Published {
        Objects.requireNonNull(eventId, "eventId");
      }
    }

    /**
     * Refused for good with an entry error of the publish API ({@code UnknownBus}, {@code
     * InvalidField}, {@code EntryTooLarge}...); {@code field} names the entry's field, or is empty.
     */
    record Refused(String code, String message, String field) implements Result {
      public Refused {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(field, "field");
      }
    }

    /** Not stored for now (the engine or the store did not answer): try again later. */
    record Unavailable(String message) implements Result {
      public Unavailable {
        Objects.requireNonNull(message, "message");
      }
    }
  }
}
