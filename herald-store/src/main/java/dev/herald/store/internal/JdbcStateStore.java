package dev.herald.store.internal;

import dev.herald.core.audit.AuditEntry;
import dev.herald.core.audit.AuditHead;
import dev.herald.core.audit.AuditRecord;
import dev.herald.core.config.BusSpecs;
import dev.herald.core.config.Page;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.secret.SecretBox;
import dev.herald.store.ApiKeyStore;
import dev.herald.store.AuditAppend;
import dev.herald.store.AuditFilter;
import dev.herald.store.AuditStore;
import dev.herald.store.Bus;
import dev.herald.store.ClientIdRecord;
import dev.herald.store.ClientIdStore;
import dev.herald.store.ConfigStore;
import dev.herald.store.DeadLetter;
import dev.herald.store.DeadLetterStore;
import dev.herald.store.DeliveryResults;
import dev.herald.store.JournalEntry;
import dev.herald.store.JournalMaintenance;
import dev.herald.store.QueueDepth;
import dev.herald.store.QueueLease;
import dev.herald.store.QueueMessage;
import dev.herald.store.QueueStore;
import dev.herald.store.ReceivedMessage;
import dev.herald.store.Redrive;
import dev.herald.store.ReplayStore;
import dev.herald.store.RetryStore;
import dev.herald.store.Routing;
import dev.herald.store.ScheduledRetry;
import dev.herald.store.StateStore;
import dev.herald.store.Stored;
import dev.herald.store.internal.audit.JdbcAuditStore;
import dev.herald.store.internal.clientid.JdbcClientIdStore;
import dev.herald.store.internal.config.JdbcConfigStore;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.SortableIds;
import dev.herald.store.internal.db.Sql;
import dev.herald.store.internal.db.StoreCalls;
import dev.herald.store.internal.deadletter.DeadLetterRepository;
import dev.herald.store.internal.deadletter.JdbcDeadLetterStore;
import dev.herald.store.internal.journal.JdbcJournalStore;
import dev.herald.store.internal.key.JdbcApiKeyStore;
import dev.herald.store.internal.queue.JdbcQueueStore;
import dev.herald.store.internal.replay.JdbcReplayStore;
import dev.herald.store.internal.retry.JdbcRetryStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@link StateStore} over either {@link Database}: one object that plays every role, made of
 * one implementation per role (each in the {@code internal} subpackage of its capability, with its
 * repositories), to which it hands each call unchanged. It owns what belongs to the store as a
 * whole: the database, the closed flag that every role checks ({@link StoreCalls}), the writability
 * check and closing.
 *
 * <p><b>Thread safety.</b> Holds no mutable state but the closed flag (in {@link StoreCalls});
 * every call may run concurrently, as the roles and the {@link Database} underneath are
 * thread-safe.
 */
final class JdbcStateStore implements StateStore {

  private static final String HEARTBEAT =
      "INSERT INTO heartbeat (id, beat_at) VALUES (1, ?)"
          + " ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at";

  private final Database db;
  private final InstantSource clock;
  private final StoreCalls calls;
  private final ConfigStore config;
  private final JdbcJournalStore journal;
  private final RetryStore retries;
  private final DeadLetterStore deadLetters;
  private final QueueStore queues;
  private final AuditStore audit;
  private final ClientIdStore clientIds;
  private final ApiKeyStore apiKeys;
  private final ReplayStore replays;

  JdbcStateStore(Database db, InstantSource clock, SecretBox secrets) {
    this.db = db;
    this.clock = clock;
    this.calls = new StoreCalls(db.kind());
    DeadLetterRepository letters = new DeadLetterRepository(db, new SortableIds(clock));
    this.config = new JdbcConfigStore(db, calls, clock, secrets);
    this.journal = new JdbcJournalStore(db, calls, letters);
    this.retries = new JdbcRetryStore(db, calls);
    this.deadLetters = new JdbcDeadLetterStore(db, calls, letters);
    this.queues = new JdbcQueueStore(db, calls, clock, letters);
    this.audit = new JdbcAuditStore(db, calls, clock);
    this.clientIds = new JdbcClientIdStore(db, calls);
    this.apiKeys = new JdbcApiKeyStore(db, calls, clock, secrets);
    this.replays = new JdbcReplayStore(db, calls, letters);
  }

  @Override
  public ReplayStore replays() {
    return replays;
  }

  @Override
  public ApiKeyStore apiKeys() {
    return apiKeys;
  }

  /** See {@link JdbcJournalStore#createPartitions}. */
  void createJournalPartitions(Instant now) {
    journal.createPartitions(now);
  }

  // --- the store as a whole ---

  @Override
  public String kind() {
    return db.kind();
  }

  @Override
  public void checkWritable() {
    long now = clock.millis();
    calls.call(
        () -> db.write(c -> Sql.update(c, HEARTBEAT, s -> s.setLong(1, now))), "accept a write");
  }

  @Override
  public void close() {
    if (calls.close()) {
      db.close();
    }
  }

  @Override
  public String toString() {
    return "StateStore[" + db.kind() + (calls.isClosed() ? ", closed]" : "]");
  }

  // --- ConfigStore ---

  @Override
  public Bus ensureBus(String name, String description) {
    return config.ensureBus(name, description);
  }

  @Override
  public Optional<Bus> bus(String name) {
    return config.bus(name);
  }

  @Override
  public Optional<Bus> busByOrdinal(int ordinal) {
    return config.busByOrdinal(ordinal);
  }

  @Override
  public List<Bus> buses() {
    return config.buses();
  }

  @Override
  public Bus putBus(BusSpecs.BusSpec spec, OptionalLong ifMatch, String changedBy) {
    return config.putBus(spec, ifMatch, changedBy);
  }

  @Override
  public void deleteBus(String name, OptionalLong ifMatch) {
    config.deleteBus(name, ifMatch);
  }

  @Override
  public Page<Bus> listBuses(int limit, Optional<String> after) {
    return config.listBuses(limit, after);
  }

  @Override
  public Stored<TargetSpec> putTarget(TargetSpec spec, OptionalLong ifMatch, String changedBy) {
    return config.putTarget(spec, ifMatch, changedBy);
  }

  @Override
  public Optional<Stored<TargetSpec>> target(String name) {
    return config.target(name);
  }

  @Override
  public Page<Stored<TargetSpec>> listTargets(int limit, Optional<String> after) {
    return config.listTargets(limit, after);
  }

  @Override
  public List<Stored<TargetSpec>> targets() {
    return config.targets();
  }

  @Override
  public void deleteTarget(String name, OptionalLong ifMatch) {
    config.deleteTarget(name, ifMatch);
  }

  @Override
  public Stored<RuleSpec> putRule(RuleSpec spec, OptionalLong ifMatch, String changedBy) {
    return config.putRule(spec, ifMatch, changedBy);
  }

  @Override
  public Optional<Stored<RuleSpec>> rule(String bus, String name) {
    return config.rule(bus, name);
  }

  @Override
  public Page<Stored<RuleSpec>> listRules(String bus, int limit, Optional<String> after) {
    return config.listRules(bus, limit, after);
  }

  @Override
  public List<Stored<RuleSpec>> rules(String bus) {
    return config.rules(bus);
  }

  @Override
  public void deleteRule(String bus, String name, OptionalLong ifMatch) {
    config.deleteRule(bus, name, ifMatch);
  }

  // --- JournalStore ---

  @Override
  public void recordRoutings(List<Routing> routings, List<DeadLetter> deadLetters) {
    journal.recordRoutings(routings, deadLetters);
  }

  @Override
  public Optional<Routing> routing(String eventId) {
    return journal.routing(eventId);
  }

  @Override
  public int purgeRoutingsBefore(Instant cutoff) {
    return journal.purgeRoutingsBefore(cutoff);
  }

  @Override
  public void recordResults(DeliveryResults results) {
    journal.recordResults(results);
  }

  @Override
  public void recordAttempts(List<JournalEntry> entries) {
    journal.recordAttempts(entries);
  }

  @Override
  public Map<String, JournalEntry> journal(Collection<String> deliveryKeys) {
    return journal.journal(deliveryKeys);
  }

  @Override
  public List<JournalEntry> journalOfEvent(String eventId) {
    return journal.journalOfEvent(eventId);
  }

  @Override
  public int purgeJournalBefore(Instant cutoff) {
    return journal.purgeJournalBefore(cutoff);
  }

  @Override
  public JournalMaintenance maintainJournal(Instant now, Duration retention) {
    return journal.maintainJournal(now, retention);
  }

  // --- RetryStore ---

  @Override
  public void scheduleRetries(List<ScheduledRetry> list) {
    retries.scheduleRetries(list);
  }

  @Override
  public List<ScheduledRetry> claimDueRetries(
      String owner, Instant now, Duration lease, int limit, Set<String> pausedTargets) {
    return retries.claimDueRetries(owner, now, lease, limit, pausedTargets);
  }

  @Override
  public int renewRetryClaims(String owner, Collection<String> deliveryKeys, Instant until) {
    return retries.renewRetryClaims(owner, deliveryKeys, until);
  }

  @Override
  public void completeRetries(Collection<String> deliveryKeys) {
    retries.completeRetries(deliveryKeys);
  }

  @Override
  public int countRetries(String target) {
    return retries.countRetries(target);
  }

  // --- DeadLetterStore ---

  @Override
  public void addDeadLetters(List<DeadLetter> letters) {
    deadLetters.addDeadLetters(letters);
  }

  @Override
  public Page<DeadLetter> deadLetters(String target, int limit, Optional<String> after) {
    return deadLetters.deadLetters(target, limit, after);
  }

  @Override
  public int countDeadLetters(String target) {
    return deadLetters.countDeadLetters(target);
  }

  @Override
  public Optional<DeadLetter> deadLetter(String target, String id) {
    return deadLetters.deadLetter(target, id);
  }

  @Override
  public List<DeadLetter> deadLettersById(String target, Collection<String> ids) {
    return deadLetters.deadLettersById(target, ids);
  }

  @Override
  public int redrive(String target, List<Redrive> redrives) {
    return deadLetters.redrive(target, redrives);
  }

  @Override
  public int purgeDeadLetters(String target, List<String> ids) {
    return deadLetters.purgeDeadLetters(target, ids);
  }

  @Override
  public int purgeAllDeadLetters(String target) {
    return deadLetters.purgeAllDeadLetters(target);
  }

  // --- QueueStore ---

  @Override
  public int enqueueMessages(List<QueueMessage> messages) {
    return queues.enqueueMessages(messages);
  }

  @Override
  public List<ReceivedMessage> receiveMessages(
      String queue, Instant now, Duration visibility, int max, int maxReceives) {
    return queues.receiveMessages(queue, now, visibility, max, maxReceives);
  }

  @Override
  public Set<QueueLease> ackMessages(String queue, Collection<QueueLease> leases, Instant now) {
    return queues.ackMessages(queue, leases, now);
  }

  @Override
  public Set<QueueLease> nackMessages(
      String queue, Collection<QueueLease> leases, Instant now, Duration delay) {
    return queues.nackMessages(queue, leases, now, delay);
  }

  @Override
  public boolean changeMessageVisibility(
      String queue, QueueLease lease, Instant now, Duration visibility) {
    return queues.changeMessageVisibility(queue, lease, now, visibility);
  }

  @Override
  public QueueDepth queueDepth(String queue, Instant now) {
    return queues.queueDepth(queue, now);
  }

  @Override
  public int purgeQueueDeliveryKeysBefore(Instant cutoff) {
    return queues.purgeQueueDeliveryKeysBefore(cutoff);
  }

  @Override
  public int purgeQueueMessages(String queue, Instant now) {
    return queues.purgeQueueMessages(queue, now);
  }

  @Override
  public List<String> hideDeadLetters(
      String target, List<String> ids, int max, Instant now, Instant until) {
    return queues.hideDeadLetters(target, ids, max, now, until);
  }

  @Override
  public boolean setDeadLetterVisibility(String target, String id, Instant until) {
    return queues.setDeadLetterVisibility(target, id, until);
  }

  // --- AuditStore ---

  @Override
  public AuditAppend appendAudit(List<AuditRecord> records) {
    return audit.appendAudit(records);
  }

  @Override
  public Page<AuditEntry> auditEntries(AuditFilter filter, int limit, OptionalLong afterSeq) {
    return audit.auditEntries(filter, limit, afterSeq);
  }

  @Override
  public AuditHead auditHead() {
    return audit.auditHead();
  }

  @Override
  public Stream<AuditEntry> streamAudit(long afterSeq, long throughSeq) {
    return audit.streamAudit(afterSeq, throughSeq);
  }

  // --- ClientIdStore ---

  @Override
  public Optional<String> findEventIdForClientId(String bus, String clientId, Instant notBefore) {
    return clientIds.findEventIdForClientId(bus, clientId, notBefore);
  }

  @Override
  public void rememberClientIds(List<ClientIdRecord> records) {
    clientIds.rememberClientIds(records);
  }

  @Override
  public int purgeClientIdsBefore(Instant cutoff) {
    return clientIds.purgeClientIdsBefore(cutoff);
  }
}
