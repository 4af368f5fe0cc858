package dev.herald.store.internal.journal;

import dev.herald.store.DeadLetter;
import dev.herald.store.DeliveryResults;
import dev.herald.store.JournalEntry;
import dev.herald.store.JournalMaintenance;
import dev.herald.store.JournalStore;
import dev.herald.store.Routing;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.StoreCalls;
import dev.herald.store.internal.deadletter.DeadLetterRepository;
import dev.herald.store.internal.retry.RetryRepository;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JournalStore} over either database: routings, the journal and their retention, and the
 * one-transaction writes of routing and delivery results, which also write dead letters and retries
 * through those repositories' {@code ...In(Connection, ...)} methods, inside the transaction this
 * class opens. Whatever can be prepared (folding entries, rendering JSON) is done on the caller's
 * thread before the write is handed over.
 *
 * <p><b>Thread safety.</b> Stateless apart from its repositories, thread-safe as the {@link
 * Database} underneath is.
 */
public final class JdbcJournalStore implements JournalStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcJournalStore.class);

  private final Database db;
  private final StoreCalls calls;
  private final RoutingRepository routings;
  private final JournalRepository journal;
  private final JournalRetention retention;
  private final DeadLetterRepository deadLetters;

  public JdbcJournalStore(Database db, StoreCalls calls, DeadLetterRepository deadLetters) {
    this.db = db;
    this.calls = calls;
    this.routings = new RoutingRepository(db);
    this.journal = new JournalRepository(db);
    this.retention = new JournalRetention(db, journal, routings);
    this.deadLetters = deadLetters;
  }

  /**
   * Creates the journal's partitions of today and the next days that are missing (PostgreSQL), so
   * that the first writes after a long stop do not fill the DEFAULT partition. Never throws: a
   * failure is logged (each partition by {@link DayPartitions}), and the next {@link
   * #maintainJournal} tries again.
   */
  public void createPartitions(Instant now) {
    try {
      retention.createAhead(now);
    } catch (SQLException | RuntimeException e) {
      log.warn("cannot create the journal partitions at open: {}", e.toString());
    }
  }

  // --- routings ---

  @Override
  public void recordRoutings(List<Routing> records, List<DeadLetter> letters) {
    List<Routing> copy = List.copyOf(Objects.requireNonNull(records, "routings"));
    List<DeadLetter> dead = List.copyOf(Objects.requireNonNull(letters, "deadLetters"));
    if (copy.isEmpty() && dead.isEmpty()) {
      calls.ensureOpen();
      return;
    }
    List<RoutingRepository.Row> rows = RoutingRepository.rows(copy);
    calls.run(
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
    return calls.call(() -> routings.byEventId(eventId), "read the routing of event " + eventId);
  }

  @Override
  public int purgeRoutingsBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    return calls.call(() -> routings.purgeBefore(cutoff), "purge routings before " + cutoff);
  }

  // --- the journal ---

  @Override
  public void recordResults(DeliveryResults results) {
    Objects.requireNonNull(results, "results");
    if (results.isEmpty()) {
      calls.ensureOpen();
      return;
    }
    List<JournalEntry> entries = JournalRepository.fold(results.journal());
    RetryRepository.Batch scheduled = RetryRepository.batch(results.retries());
    calls.run(
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
    if (copy.isEmpty()) {
      calls.ensureOpen();
      return;
    }
    calls.run(() -> journal.record(copy), "record " + copy.size() + " journal entries");
  }

  @Override
  public Map<String, JournalEntry> journal(Collection<String> deliveryKeys) {
    List<String> keys = List.copyOf(Objects.requireNonNull(deliveryKeys, "deliveryKeys"));
    return calls.call(
        () -> keys.isEmpty() ? Map.of() : journal.byKeys(keys),
        "read the journal of " + keys.size() + " deliveries");
  }

  @Override
  public List<JournalEntry> journalOfEvent(String eventId) {
    Objects.requireNonNull(eventId, "eventId");
    return calls.call(() -> journal.ofEvent(eventId), "read the journal of event " + eventId);
  }

  @Override
  public int purgeJournalBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    return calls.call(() -> journal.purgeBefore(cutoff), "purge the journal before " + cutoff);
  }

  @Override
  public JournalMaintenance maintainJournal(Instant now, Duration retention) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(retention, "retention");
    StoreCalls.requirePositive("retention", retention);
    return calls.call(() -> this.retention.run(now, retention), "maintain the journal");
  }
}
