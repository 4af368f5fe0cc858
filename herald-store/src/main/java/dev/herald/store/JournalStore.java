package dev.herald.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The delivery ledger role of the state store: the journeys of events (one {@link Routing} per
 * routed event) and the delivery journal (the latest state of each delivery, by delivery key), and
 * the writes that record a batch of routing or delivery results in one transaction ({@link
 * #recordRoutings(List, List)}, {@link #recordResults}): what must be stored together is one call.
 * Used by the router's sink, the delivery ledger and the events API.
 *
 * <p>Every method is blocking, thread-safe and fails as the {@link StateStore} class comment says
 * ({@link StoreUnavailableException}, {@link StoreClosedException}).
 */
public interface JournalStore {

  /**
   * Records what the router did with events, replacing the routing stored for the same event id
   * (the router may route an event again after a crash). Built for the routing hot path: one
   * statement batch per call, so pass many routings per call. An empty list does nothing.
   */
  default void recordRoutings(List<Routing> routings) {
    recordRoutings(routings, List.of());
  }

  /**
   * Records routings as {@link #recordRoutings(List)} and adds the dead letters of the deliveries
   * that routing failed (as {@link DeadLetterStore#addDeadLetters}), all in one transaction: either
   * every routing and dead letter is stored, or none is.
   */
  void recordRoutings(List<Routing> routings, List<DeadLetter> deadLetters);

  /** The routing of the event {@code eventId}, if recorded and not purged. */
  Optional<Routing> routing(String eventId);

  /**
   * Deletes routings routed before {@code cutoff}, a few thousand rows per transaction so that
   * routing is never held up for long; returns how many were deleted. Retention is {@link
   * #maintainJournal}, which drops whole days on PostgreSQL; this deletes row by row on both.
   */
  int purgeRoutingsBefore(Instant cutoff);

  /**
   * Records what a batch of attempts left, in one transaction: adds the dead letters (as {@link
   * DeadLetterStore#addDeadLetters}), schedules the retries (as {@link
   * RetryStore#scheduleRetries}), completes the finished retries (as {@link
   * RetryStore#completeRetries}) and records the journal entries (as {@link #recordAttempts}).
   * Either all of it is stored or none of it: a failure leaves the store as it was, so the same
   * results can be recorded again.
   */
  void recordResults(DeliveryResults results);

  /**
   * Records the latest state of deliveries, upserting by delivery key in one statement batch (pass
   * many entries per call). An entry stored as {@code delivered} stays delivered: a later entry of
   * its key (a late duplicate attempt, or {@code skipped-duplicate}) changes nothing but the
   * attempt count. The stored attempt count is the highest given; the first attempt time the
   * earliest; every other field the latest entry's. Entries of one key in one call apply in list
   * order. An empty list does nothing.
   */
  void recordAttempts(List<JournalEntry> entries);

  /**
   * The journal entries of these delivery keys, by key, in one query (for dedupe before invoking:
   * skip the keys whose entry {@link JournalEntry#isDelivered()}). Keys without an entry are
   * absent.
   */
  Map<String, JournalEntry> journal(Collection<String> deliveryKeys);

  /** The journal entries of the deliveries of one event, by delivery key. */
  List<JournalEntry> journalOfEvent(String eventId);

  /**
   * Deletes journal entries last attempted before {@code cutoff} (entries never attempted count
   * from their first attempt; entries with neither time are kept), a few thousand rows per
   * transaction; returns how many were deleted. Retention is {@link #maintainJournal}, which drops
   * whole days on PostgreSQL; this deletes row by row on both.
   */
  int purgeJournalBefore(Instant cutoff);

  /**
   * Applies the retention of the delivery journal and of the routings (the journeys) as of {@code
   * now}: what is older than {@code now - retention} goes. Call it periodically (Herald: every
   * minute), from any number of instances at once.
   *
   * <ul>
   *   <li>SQLite: as {@link #purgeJournalBefore} and {@link #purgeRoutingsBefore} with that cutoff.
   *   <li>PostgreSQL: both tables are partitioned by the UTC day on which the event was ingested
   *       (read from its id), so that every write of one delivery lands in one partition. It
   *       creates the partitions of today and the next two days that are missing, drops whole the
   *       partitions whose day ended before the cutoff (an entry thus lives 7 to 8 days after its
   *       event's ingestion, with a retention of 7 days, whenever it was last attempted), and
   *       deletes in chunks, by last attempt (routing) time, the expired rows of the DEFAULT
   *       partition, which holds the days without a partition of their own (events older than the
   *       partitions, e.g. a dead letter redriven days later, and ids that are not event ids).
   * </ul>
   *
   * <p>A partition it cannot create or drop (a lock not granted in time, or a DEFAULT partition
   * already holding rows of that day) is logged and reported, not thrown, and tried again on the
   * next call.
   *
   * @throws IllegalArgumentException when {@code retention} is not positive
   */
  JournalMaintenance maintainJournal(Instant now, Duration retention);
}
