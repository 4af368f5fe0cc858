package dev.herald.store.internal;

import dev.herald.core.config.Page;
import dev.herald.store.DeadLetter;
import dev.herald.store.DeliveryResults;
import dev.herald.store.JournalEntry;
import dev.herald.store.JournalMaintenance;
import dev.herald.store.Redrive;
import dev.herald.store.Routing;
import dev.herald.store.ScheduledRetry;
import dev.herald.store.StateStore;
import dev.herald.store.StoreClosedException;
import dev.herald.store.StoreUnavailableException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery side of {@link JdbcStateStore} (routings, dead letters, the journal, scheduled
 * retries) and what every call of the store shares: argument checks, the closed flag, and turning
 * {@link SQLException} into {@link StoreUnavailableException}.
 *
 * <p><b>Thread safety.</b> Holds no mutable state but the closed flag; every call may run
 * concurrently, as the {@link Database} underneath is thread-safe (see there where work runs).
 */
abstract class DeliveryStateStore implements StateStore {
  private static final Logger log = LoggerFactory.getLogger(DeliveryStateStore.class);

  final Database db;
  private final RoutingRepository routings;
  private final DeadLetterRepository deadLetters;
  private final JournalRepository journal;
  private final RetryRepository retries;
  private final JournalRetention retention;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A store call that may fail with an SQL error. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws SQLException;
  }

  /** A store call without a result. */
  @FunctionalInterface
  interface Action {
    void run() throws SQLException;
  }

  /** Work on a list that may fail with an SQL error. */
  @FunctionalInterface
  private interface Consumer<T> {
    void accept(T items) throws SQLException;
  }

  DeliveryStateStore(Database db, InstantSource clock) {
    this.db = db;
    this.routings = new RoutingRepository(db);
    this.deadLetters = new DeadLetterRepository(db, new SortableIds(clock));
    this.journal = new JournalRepository(db);
    this.retries = new RetryRepository(db);
    this.retention = new JournalRetention(db, journal, routings);
  }

  /**
   * Creates the journal's partitions of today and the next days that are missing (PostgreSQL), so
   * that the first writes after a long stop do not fill the DEFAULT partition. Never throws: a
   * failure is logged (each partition by {@link DayPartitions}), and the next {@link
   * #maintainJournal} tries again.
   */
  final void createJournalPartitions(Instant now) {
    try {
      retention.createAhead(now);
    } catch (SQLException | RuntimeException e) {
      log.warn("cannot create the journal partitions at open: {}", e.toString());
    }
  }

  @Override
  public String kind() {
    return db.kind();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      db.close();
    }
  }

  // --- routings and dead letters ---

  @Override
  public void recordRoutings(List<Routing> records, List<DeadLetter> letters) {
    List<Routing> copy = List.copyOf(Objects.requireNonNull(records, "routings"));
    List<DeadLetter> dead = List.copyOf(Objects.requireNonNull(letters, "deadLetters"));
    if (copy.isEmpty() && dead.isEmpty()) {
      ensureOpen();
      return;
    }
    List<RoutingRepository.Row> rows = RoutingRepository.rows(copy);
    run(
        () ->
            db.write(
                c -> {
                  routings.recordIn(c, rows);
                  deadLetters.addIn(c, dead);
                  return null;
                }),
        "record " + copy.size() + " routings and " + dead.size() + " dead letters");
  }

  @Override
  public Optional<Routing> routing(String eventId) {
    Objects.requireNonNull(eventId, "eventId");
    return call(() -> routings.byEventId(eventId), "read the routing of event " + eventId);
  }

  @Override
  public int purgeRoutingsBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    return call(() -> routings.purgeBefore(cutoff), "purge routings before " + cutoff);
  }

  @Override
  public void addDeadLetters(List<DeadLetter> letters) {
    List<DeadLetter> copy = List.copyOf(Objects.requireNonNull(letters, "letters"));
    if (copy.isEmpty()) {
      ensureOpen();
      return;
    }
    run(() -> deadLetters.add(copy), "add " + copy.size() + " dead letters");
  }

  @Override
  public Page<DeadLetter> deadLetters(String target, int limit, Optional<String> after) {
    Objects.requireNonNull(target, "target");
    Pages.checkLimit(limit);
    Objects.requireNonNull(after, "after");
    return call(
        () -> deadLetters.page(target, limit, after),
        "list the dead letters of target '" + target + "'");
  }

  @Override
  public Optional<DeadLetter> deadLetter(String target, String id) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(id, "id");
    return call(
        () -> deadLetters.byId(target, id),
        "read dead letter " + id + " of target '" + target + "'");
  }

  @Override
  public List<DeadLetter> deadLettersById(String target, Collection<String> ids) {
    Objects.requireNonNull(target, "target");
    List<String> copy = List.copyOf(Objects.requireNonNull(ids, "ids"));
    return copy.isEmpty()
        ? call(List::of, "read dead letters")
        : call(() -> deadLetters.byIds(target, copy), "read dead letters of '" + target + "'");
  }

  @Override
  public int redrive(String target, List<Redrive> redrives) {
    Objects.requireNonNull(target, "target");
    List<Redrive> copy = List.copyOf(Objects.requireNonNull(redrives, "redrives"));
    for (Redrive redrive : copy) {
      if (redrive instanceof Redrive.Retry retry && !retry.retry().target().equals(target)) {
        throw new IllegalArgumentException(
            "the retry of dead letter "
                + retry.letterId()
                + " is for target '"
                + retry.retry().target()
                + "', not '"
                + target
                + "'");
      }
    }
    return copy.isEmpty()
        ? call(() -> 0, "redrive dead letters")
        : call(
            () -> db.write(c -> deadLetters.redriveIn(c, target, copy)),
            "redrive " + copy.size() + " dead letters of '" + target + "'");
  }

  @Override
  public int purgeDeadLetters(String target, List<String> ids) {
    List<String> copy = idList(target, ids);
    return copy.isEmpty()
        ? call(() -> 0, "purge dead letters")
        : call(() -> deadLetters.purge(target, copy), "purge dead letters of '" + target + "'");
  }

  @Override
  public int purgeAllDeadLetters(String target) {
    Objects.requireNonNull(target, "target");
    return call(() -> deadLetters.purgeAll(target), "purge dead letters of '" + target + "'");
  }

  // --- journal and retries ---

  @Override
  public void recordResults(DeliveryResults results) {
    Objects.requireNonNull(results, "results");
    if (results.isEmpty()) {
      ensureOpen();
      return;
    }
    List<JournalEntry> entries = JournalRepository.fold(results.journal());
    RetryRepository.Batch scheduled = RetryRepository.batch(results.retries());
    run(
        () ->
            db.write(
                c -> {
                  deadLetters.addIn(c, results.deadLetters());
                  RetryRepository.scheduleIn(c, scheduled);
                  RetryRepository.completeIn(c, results.completedRetries());
                  journal.recordIn(c, entries);
                  return null;
                }),
        "record the results of " + results.journal().size() + " attempts");
  }

  @Override
  public void recordAttempts(List<JournalEntry> entries) {
    List<JournalEntry> copy = List.copyOf(Objects.requireNonNull(entries, "entries"));
    run(() -> unlessEmpty(copy, journal::record), "record " + copy.size() + " journal entries");
  }

  @Override
  public Map<String, JournalEntry> journal(Collection<String> deliveryKeys) {
    List<String> keys = List.copyOf(Objects.requireNonNull(deliveryKeys, "deliveryKeys"));
    return call(
        () -> keys.isEmpty() ? Map.of() : journal.byKeys(keys),
        "read the journal of " + keys.size() + " deliveries");
  }

  @Override
  public List<JournalEntry> journalOfEvent(String eventId) {
    Objects.requireNonNull(eventId, "eventId");
    return call(() -> journal.ofEvent(eventId), "read the journal of event " + eventId);
  }

  @Override
  public int purgeJournalBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    return call(() -> journal.purgeBefore(cutoff), "purge the journal before " + cutoff);
  }

  @Override
  public JournalMaintenance maintainJournal(Instant now, Duration retention) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(retention, "retention");
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive, got " + retention);
    }
    return call(() -> this.retention.run(now, retention), "maintain the journal");
  }

  @Override
  public void scheduleRetries(List<ScheduledRetry> list) {
    List<ScheduledRetry> copy = List.copyOf(Objects.requireNonNull(list, "retries"));
    run(() -> unlessEmpty(copy, retries::schedule), "schedule " + copy.size() + " retries");
  }

  @Override
  public List<ScheduledRetry> claimDueRetries(
      String owner, Instant now, Duration lease, int limit, Set<String> pausedTargets) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(now, "now");
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be positive, got " + lease);
    }
    requireAtLeastOne("limit", limit);
    Set<String> paused = Set.copyOf(pausedTargets);
    return call(() -> retries.claim(owner, now, lease, limit, paused), "claim due retries");
  }

  @Override
  public void completeRetries(Collection<String> deliveryKeys) {
    List<String> keys = List.copyOf(Objects.requireNonNull(deliveryKeys, "deliveryKeys"));
    run(() -> unlessEmpty(keys, retries::complete), "complete " + keys.size() + " retries");
  }

  @Override
  public int countRetries(String target) {
    Objects.requireNonNull(target, "target");
    return call(() -> retries.count(target), "count the retries of target '" + target + "'");
  }

  private static List<String> idList(String target, List<String> ids) {
    Objects.requireNonNull(target, "target");
    return List.copyOf(Objects.requireNonNull(ids, "ids"));
  }

  private static void requireAtLeastOne(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + value);
    }
  }

  /** Runs {@code action} on {@code items} unless there are none. */
  private static <T> void unlessEmpty(List<T> items, Consumer<List<T>> action) throws SQLException {
    if (!items.isEmpty()) {
      action.accept(items);
    }
  }

  final void run(Action action, String what) {
    call(
        () -> {
          action.run();
          return null;
        },
        what);
  }

  final <T> T call(Call<T> call, String what) {
    ensureOpen();
    try {
      return call.run();
    } catch (SQLException e) {
      throw new StoreUnavailableException(
          "the " + db.kind() + " state store could not " + what + ": " + e.getMessage(), e);
    }
  }

  final void ensureOpen() {
    if (closed.get()) {
      throw new StoreClosedException("the " + db.kind() + " state store is closed");
    }
  }

  @Override
  public String toString() {
    return "StateStore[" + db.kind() + (closed.get() ? ", closed]" : "]");
  }
}
