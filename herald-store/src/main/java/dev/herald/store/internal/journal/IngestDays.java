package dev.herald.store.internal.journal;

import dev.herald.core.event.EventId;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The ingestion day of an event: the UTC day of the ingestion time its id encodes ({@link
 * EventId}). It never changes for an event, so every row keyed by an event id or by a delivery key
 * (a hash over the event id) stays in one daily partition whatever attempts and redeliveries come.
 * Migration V7 computes the same day in SQL for the rows it moves. Stateless.
 */
final class IngestDays {
  /** The day of ids that are not event ids: no daily partition holds it (the DEFAULT one does). */
  static final LocalDate NOT_AN_EVENT_ID = LocalDate.EPOCH;

  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;

  private IngestDays() {}

  /** The UTC day on which the event {@code eventId} was ingested, or {@link #NOT_AN_EVENT_ID}. */
  static LocalDate of(String eventId) {
    return EventId.parse(eventId).map(id -> dayOf(id.ingestedAt())).orElse(NOT_AN_EVENT_ID);
  }

  /** The UTC day of {@code instant}. */
  static LocalDate dayOf(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }

  /** The name of {@code table}'s partition of {@code day}: {@code journal_p20261126}. */
  static String partitionName(String table, LocalDate day) {
    return table + "_p" + SUFFIX.format(day);
  }
}
