package dev.herald.store;

import dev.herald.core.audit.AuditEntry;
import dev.herald.core.audit.AuditHead;
import dev.herald.core.audit.AuditRecord;
import dev.herald.core.config.BusSpecs;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.config.TargetSpec;
import dev.herald.store.internal.StoreFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Herald's state store: low-volume, random-access state (buses, targets, rules, routings, dead
 * letters, the delivery journal and scheduled retries, the audit log, the queues of queue targets
 * ({@link QueueStore}); more later) in SQLite (embedded mode) or PostgreSQL (cluster mode).
 *
 * <p><b>Thread safety.</b> Every method is blocking and safe to call from any number of threads,
 * virtual threads included. With SQLite, the calling thread never runs native code itself: writes
 * are handed to one platform writer thread that owns the only write connection and commits queued
 * writes in batches, one transaction per batch; reads are handed to a small pool of platform
 * threads that each own a read connection. The caller waits for the result; a write has returned
 * only once its transaction committed, and a read that starts after a write returned sees that
 * write. With PostgreSQL, the calling thread borrows a pooled connection and each call is one
 * transaction.
 *
 * <p><b>Errors.</b> A call the database could not serve throws {@link StoreUnavailableException}
 * (its cause is the {@link java.sql.SQLException}); a call after {@link #close()} throws {@link
 * StoreClosedException}. Invalid arguments throw {@link IllegalArgumentException} or {@link
 * NullPointerException}.
 *
 * <p><b>Configuration objects</b> (buses, targets, rules) carry a version: 1 when created, plus 1
 * on every successful put. A put or delete given {@code ifMatch} acts only when the stored version
 * equals it, a missing object counting as version 0; otherwise it throws {@link
 * ConfigException.VersionMismatch} and changes nothing. The references between them are foreign
 * keys of the database: a rule names only existing targets, a target named by a rule and a bus that
 * has rules cannot be deleted. Refusals throw the {@link ConfigException} that the admin API
 * answers with (404 {@link ConfigException.NotFound}, 409 {@link ConfigException.Conflict}, 412
 * {@link ConfigException.VersionMismatch}); names in them are sorted.
 *
 * <p><b>Lists</b> come in pages ordered by name (dead letters by id), byte by byte on both
 * databases. {@code after} is the name (or id) to resume after, as {@link Page#nameAfter} decodes
 * it from the API's cursor; empty for the first page. {@link Page#next()} is the cursor of the next
 * page ({@link Page#cursorAfter} of the last item), empty on the last page. {@code limit} is 1 to
 * {@link Page#MAX_LIMIT}.
 *
 * <p><b>Secrets</b> of targets are stored only sealed with the key of {@link StoreConfig#secrets()}
 * and come back in clear from reads; mask them before showing them. A target whose secrets were
 * sealed with another key fails to read with {@link UnreadableSecretsException}.
 *
 * <p>Open one with {@link #open(StoreConfig)}; it applies pending schema migrations before it
 * returns.
 */
public interface StateStore extends QueueStore, AutoCloseable {

  /**
   * Opens the store that {@code config} names and brings its schema up to date.
   *
   * @throws StoreUnavailableException when the database cannot be opened or migrated
   */
  static StateStore open(StoreConfig config) {
    return StoreFactory.open(config);
  }

  /** {@code "sqlite"} or {@code "postgresql"}. */
  String kind();

  /** The API keys, kept in this store. */
  ApiKeyStore apiKeys();

  /**
   * Returns the bus named {@code name}, creating it with {@code description} and the next free
   * ordinal when it does not exist. An existing bus is returned unchanged. Safe against concurrent
   * calls, also from several Herald instances sharing one PostgreSQL database: exactly one bus is
   * created.
   *
   * @throws IllegalArgumentException when {@code name} is not a valid bus name
   * @throws StoreUnavailableException when the store fails, or all 65,536 ordinals are taken
   */
  Bus ensureBus(String name, String description);

  /** The bus named {@code name}, if it exists. */
  Optional<Bus> bus(String name);

  /** The bus with this ordinal, if one exists. */
  Optional<Bus> busByOrdinal(int ordinal);

  /** All buses, ordered by name. */
  List<Bus> buses();

  /**
   * Creates the bus (with the next free ordinal, as {@link #ensureBus}) or updates its description
   * and archive retention.
   *
   * @throws IllegalArgumentException when the name is not a valid bus name
   * @throws ConfigException.VersionMismatch when {@code ifMatch} is not the stored version
   */
  Bus putBus(BusSpecs.BusSpec spec, OptionalLong ifMatch);

  /**
   * Deletes a bus that has no rules. Any bus may be deleted, {@code default} included; its ordinal
   * may be given to a later bus.
   *
   * @throws ConfigException.NotFound {@code BusNotFound} when it does not exist
   * @throws ConfigException.Conflict {@code BusHasRules}, naming its rules, when it has rules
   * @throws ConfigException.VersionMismatch when {@code ifMatch} is not the stored version
   */
  void deleteBus(String name, OptionalLong ifMatch);

  /** A page of the buses, by name (see the class comment for paging). */
  Page<Bus> listBuses(int limit, Optional<String> after);

  /**
   * Creates or replaces a target. Its secrets ({@code TargetTypes.secretPaths} of its type) are
   * stored sealed; the rest of its settings in clear. Returns the target as stored, secrets in
   * clear.
   *
   * @throws IllegalArgumentException when the name is not a valid target name
   * @throws ConfigException.VersionMismatch when {@code ifMatch} is not the stored version
   */
  Stored<TargetSpec> putTarget(TargetSpec spec, OptionalLong ifMatch);

  /**
   * The target named {@code name}, secrets in clear.
   *
   * @throws UnreadableSecretsException when its secrets were sealed with another key
   */
  Optional<Stored<TargetSpec>> target(String name);

  /** A page of the targets, by name, secrets in clear (see the class comment for paging). */
  Page<Stored<TargetSpec>> listTargets(int limit, Optional<String> after);

  /** Every target, by name, secrets in clear. */
  List<Stored<TargetSpec>> targets();

  /**
   * Deletes a target that no rule names (its dead letters stay).
   *
   * @throws ConfigException.NotFound {@code TargetNotFound} when it does not exist
   * @throws ConfigException.Conflict {@code TargetInUse}, naming the rules as {@code "bus/rule"},
   *     when rules still name it
   * @throws ConfigException.VersionMismatch when {@code ifMatch} is not the stored version
   */
  void deleteTarget(String name, OptionalLong ifMatch);

  /**
   * Creates or replaces a rule of an existing bus, naming existing targets only. The targets it
   * names are recorded in the same transaction, so that none of them can be deleted while the rule
   * names it.
   *
   * @throws IllegalArgumentException when the bus, rule or a target name is not valid
   * @throws ConfigException.NotFound {@code BusNotFound} when the bus does not exist
   * @throws ConfigException.Conflict {@code UnknownTarget}, naming every missing target
   * @throws ConfigException.VersionMismatch when {@code ifMatch} is not the stored version
   */
  Stored<RuleSpec> putRule(RuleSpec spec, OptionalLong ifMatch);

  /** The rule {@code name} of {@code bus}. */
  Optional<Stored<RuleSpec>> rule(String bus, String name);

  /**
   * A page of the rules of {@code bus}, by name (see the class comment for paging).
   *
   * @throws ConfigException.NotFound {@code BusNotFound} when the bus does not exist
   */
  Page<Stored<RuleSpec>> listRules(String bus, int limit, Optional<String> after);

  /** Every rule of {@code bus}, by name; empty when the bus does not exist. */
  List<Stored<RuleSpec>> rules(String bus);

  /**
   * Deletes a rule; the targets it named may then be deleted.
   *
   * @throws ConfigException.NotFound {@code RuleNotFound} when the bus has no such rule
   * @throws ConfigException.VersionMismatch when {@code ifMatch} is not the stored version
   */
  void deleteRule(String bus, String name, OptionalLong ifMatch);

  /**
   * Records what the router did with events, replacing the routing stored for the same event id
   * (the router may route an event again after a crash). Built for the routing hot path: one
   * statement batch per call, so pass many routings per call. An empty list does nothing.
   */
  void recordRoutings(List<Routing> routings);

  /** The routing of the event {@code eventId}, if recorded and not purged. */
  Optional<Routing> routing(String eventId);

  /**
   * Deletes routings routed before {@code cutoff}, a few thousand rows per transaction so that
   * routing is never held up for long; returns how many were deleted. Retention is {@link
   * #maintainJournal}, which drops whole days on PostgreSQL; this deletes row by row on both.
   */
  int purgeRoutingsBefore(Instant cutoff);

  /**
   * Adds dead letters in one write. A letter whose {@code id} is {@code null} or empty gets an id
   * from the store, sortable by when it was added; a given id is kept. A target holds one dead
   * letter per delivery key: adding a letter whose (target, delivery key) is already stored keeps
   * the stored row, id and event, and takes the attempts and error of the new letter only when its
   * last attempt is later. An empty list does nothing.
   */
  void addDeadLetters(List<DeadLetter> letters);

  /** A page of the dead letters of {@code target}, by id (see the class comment for paging). */
  Page<DeadLetter> deadLetters(String target, int limit, Optional<String> after);

  /** The dead letter {@code id} of {@code target}. */
  Optional<DeadLetter> deadLetter(String target, String id);

  /**
   * Deletes and returns, in one transaction, the dead letters of {@code target} with these ids, by
   * id (redrive turns them into retries due now). Unknown ids, and ids of letters another call took
   * first, are not returned: each letter is taken once, also across Herald instances.
   */
  List<DeadLetter> takeDeadLetters(String target, List<String> ids);

  /**
   * Deletes and returns, in one transaction, the first {@code limit} dead letters of {@code target}
   * by id; call again until it returns none to take them all.
   *
   * @throws IllegalArgumentException when {@code limit} is below 1
   */
  List<DeadLetter> takeAllDeadLetters(String target, int limit);

  /** Deletes the dead letters of {@code target} with these ids; returns how many existed. */
  int purgeDeadLetters(String target, List<String> ids);

  /**
   * Deletes every dead letter of {@code target}, a few thousand per transaction; returns how many.
   */
  int purgeAllDeadLetters(String target);

  // --- the delivery journal ---

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

  // --- scheduled retries ---

  /**
   * Schedules retries, upserting by delivery key (a scheduled retry replaces the stored one and
   * releases its claim). Within one call the last retry of a key wins. An empty list does nothing.
   */
  void scheduleRetries(List<ScheduledRetry> retries);

  /**
   * Claims up to {@code limit} retries that are due ({@code dueAt <= now}), not claimed under a
   * live lease (a lease ends at {@code now + lease} of its claim and is live until then, inclusive)
   * and not of a target in {@code pausedTargets}, oldest due first. The claim is made in the same
   * transaction that selects them: two claimers, threads or Herald instances, never both get a
   * retry while its lease is live. Complete a delivered (or dead-lettered) retry with {@link
   * #completeRetries}, or schedule it again; a retry neither completed nor rescheduled is claimable
   * again once its lease expired.
   *
   * @throws IllegalArgumentException when {@code lease} is not positive or {@code limit} below 1
   */
  List<ScheduledRetry> claimDueRetries(
      String owner, Instant now, Duration lease, int limit, Set<String> pausedTargets);

  /** Deletes the retries of these delivery keys; unknown keys are ignored. */
  void completeRetries(Collection<String> deliveryKeys);

  /** How many retries are scheduled for {@code target}, claimed or not. */
  int countRetries(String target);

  // --- the audit log ---

  /**
   * Appends records to the audit log, in the order given, in one transaction, and says which were
   * added. Exactly once per delivery key: a record whose key the log holds already, or whose key an
   * earlier record of the same call has, adds nothing (a duplicate is not an error); the check is
   * made in the transaction that appends. Each added entry takes the next seq and is chained to the
   * entry before it ({@link dev.herald.core.audit.AuditChain}), appended at the store's clock
   * (never earlier than the entry before it). Appends are serialized, also across Herald instances
   * sharing one PostgreSQL database, so the chain never forks: with SQLite by the single writer,
   * with PostgreSQL by a row lock on the chain's head taken in the same transaction. An empty list
   * does nothing.
   */
  AuditAppend appendAudit(List<AuditRecord> records);

  /**
   * A page of the audit entries that pass {@code filter}, by seq. {@code afterSeq} is the seq to
   * resume after (empty for the first page); {@link Page#next()} is {@link Page#cursorAfter} of the
   * last entry's seq (in decimal). {@code limit} is 1 to {@link Page#MAX_LIMIT}.
   */
  Page<AuditEntry> auditEntries(AuditFilter filter, int limit, OptionalLong afterSeq);

  /** The head of the audit chain now: its last entry, or {@link AuditHead#GENESIS}. */
  AuditHead auditHead();

  /**
   * The audit entries with {@code afterSeq < seq <= throughSeq}, in seq order, read lazily a
   * thousand at a time (each chunk one short read), for verifying or exporting a log of any length
   * in bounded memory. A read that fails throws {@link StoreUnavailableException} from the stream's
   * terminal operation.
   */
  Stream<AuditEntry> streamAudit(long afterSeq, long throughSeq);

  /**
   * The event id stored for {@code clientId} on {@code bus}, if it was recorded at or after {@code
   * notBefore} (the start of the dedupe window).
   */
  Optional<String> findEventIdForClientId(String bus, String clientId, Instant notBefore);

  /**
   * Records client ids and their event ids. A record replaces the stored one for the same (bus,
   * client id) when it was recorded later; an older record is ignored. An empty list does nothing.
   */
  void rememberClientIds(List<ClientIdRecord> records);

  /** Deletes client id records recorded before {@code cutoff}; returns how many were deleted. */
  int purgeClientIdsBefore(Instant cutoff);

  /**
   * Proves the store accepts writes right now by committing a tiny write.
   *
   * @throws StoreUnavailableException when it does not
   */
  void checkWritable();

  /**
   * Completes the writes already accepted, then closes every connection. Calls made after close
   * starts throw {@link StoreClosedException}. Closing twice does nothing.
   */
  @Override
  void close();
}
