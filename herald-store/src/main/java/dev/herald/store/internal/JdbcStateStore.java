package dev.herald.store.internal;

import dev.herald.core.audit.AuditEntry;
import dev.herald.core.audit.AuditHead;
import dev.herald.core.audit.AuditRecord;
import dev.herald.core.config.BusSpecs;
import dev.herald.core.config.Page;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.event.Names;
import dev.herald.core.secret.SecretBox;
import dev.herald.store.ApiKeyStore;
import dev.herald.store.AuditAppend;
import dev.herald.store.AuditFilter;
import dev.herald.store.Bus;
import dev.herald.store.ClientIdRecord;
import dev.herald.store.StateStore;
import dev.herald.store.StoreUnavailableException;
import dev.herald.store.Stored;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The {@link StateStore} over either {@link Database}: checks arguments, delegates to one
 * repository per table (the audit log's in {@link AuditRepository}) and turns {@link SQLException}
 * into {@link StoreUnavailableException}. The delivery side (routings, dead letters, journal,
 * retries) is in {@link DeliveryStateStore}, the queues in {@link QueueStateStore}.
 *
 * <p><b>Thread safety.</b> Holds no mutable state but the closed flag; every call may run
 * concurrently, as the {@link Database} underneath is thread-safe (see there where work runs).
 */
final class JdbcStateStore extends QueueStateStore {

  private static final String HEARTBEAT =
      "INSERT INTO heartbeat (id, beat_at) VALUES (1, ?)"
          + " ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at";

  /** Audit entries read per chunk when streaming the log. */
  static final int AUDIT_CHUNK = 1000;

  private final InstantSource clock;
  private final BusRepository buses;
  private final ClientIdRepository clientIds;
  private final TargetRepository targets;
  private final RuleRepository rules;
  private final AuditRepository audit;
  private final ApiKeyStore apiKeys;

  JdbcStateStore(Database db, InstantSource clock, SecretBox secrets) {
    super(db, clock);
    this.clock = clock;
    this.buses = new BusRepository(db, clock);
    this.clientIds = new ClientIdRepository(db);
    this.targets = new TargetRepository(db, clock, secrets);
    this.rules = new RuleRepository(db, clock);
    this.audit = new AuditRepository(db, clock);
    this.apiKeys = new JdbcApiKeyStore(this, new KeyRepository(db, clock, secrets));
  }

  @Override
  public ApiKeyStore apiKeys() {
    return apiKeys;
  }

  // --- buses ---

  @Override
  public Bus ensureBus(String name, String description) {
    requireName("bus", name);
    Objects.requireNonNull(description, "description");
    return call(() -> buses.ensure(name, description), "ensure bus '" + name + "'");
  }

  @Override
  public Optional<Bus> bus(String name) {
    Objects.requireNonNull(name, "name");
    return call(() -> buses.byName(name), "read bus '" + name + "'");
  }

  @Override
  public Optional<Bus> busByOrdinal(int ordinal) {
    return call(() -> buses.byOrdinal(ordinal), "read the bus with ordinal " + ordinal);
  }

  @Override
  public List<Bus> buses() {
    return call(buses::all, "list buses");
  }

  @Override
  public Bus putBus(BusSpecs.BusSpec spec, OptionalLong ifMatch) {
    requireName("bus", spec.name());
    Objects.requireNonNull(spec.description(), "description");
    Objects.requireNonNull(ifMatch, "ifMatch");
    return call(() -> buses.put(spec, ifMatch), "store bus '" + spec.name() + "'");
  }

  @Override
  public void deleteBus(String name, OptionalLong ifMatch) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ifMatch, "ifMatch");
    run(() -> buses.delete(name, ifMatch), "delete bus '" + name + "'");
  }

  @Override
  public Page<Bus> listBuses(int limit, Optional<String> after) {
    Pages.checkLimit(limit);
    Objects.requireNonNull(after, "after");
    return call(() -> buses.page(limit, after), "list buses");
  }

  // --- targets ---

  @Override
  public Stored<TargetSpec> putTarget(TargetSpec spec, OptionalLong ifMatch) {
    requireName("target", spec.name());
    Objects.requireNonNull(ifMatch, "ifMatch");
    return call(() -> targets.put(spec, ifMatch), "store target '" + spec.name() + "'");
  }

  @Override
  public Optional<Stored<TargetSpec>> target(String name) {
    Objects.requireNonNull(name, "name");
    return call(() -> targets.byName(name), "read target '" + name + "'");
  }

  @Override
  public Page<Stored<TargetSpec>> listTargets(int limit, Optional<String> after) {
    Pages.checkLimit(limit);
    Objects.requireNonNull(after, "after");
    return call(() -> targets.page(limit, after), "list targets");
  }

  @Override
  public List<Stored<TargetSpec>> targets() {
    return call(targets::all, "list targets");
  }

  @Override
  public void deleteTarget(String name, OptionalLong ifMatch) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ifMatch, "ifMatch");
    run(() -> targets.delete(name, ifMatch), "delete target '" + name + "'");
  }

  // --- rules ---

  @Override
  public Stored<RuleSpec> putRule(RuleSpec spec, OptionalLong ifMatch) {
    requireName("bus", spec.bus());
    requireName("rule", spec.name());
    spec.targetNames().forEach(target -> requireName("target", target));
    Objects.requireNonNull(ifMatch, "ifMatch");
    return call(() -> rules.put(spec, ifMatch), "store rule '" + spec.name() + "'");
  }

  @Override
  public Optional<Stored<RuleSpec>> rule(String bus, String name) {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(name, "name");
    return call(() -> rules.byName(bus, name), "read rule '" + name + "' of bus '" + bus + "'");
  }

  @Override
  public Page<Stored<RuleSpec>> listRules(String bus, int limit, Optional<String> after) {
    Objects.requireNonNull(bus, "bus");
    Pages.checkLimit(limit);
    Objects.requireNonNull(after, "after");
    return call(() -> rules.page(bus, limit, after), "list the rules of bus '" + bus + "'");
  }

  @Override
  public List<Stored<RuleSpec>> rules(String bus) {
    Objects.requireNonNull(bus, "bus");
    return call(() -> rules.all(bus), "list the rules of bus '" + bus + "'");
  }

  @Override
  public void deleteRule(String bus, String name, OptionalLong ifMatch) {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ifMatch, "ifMatch");
    run(() -> rules.delete(bus, name, ifMatch), "delete rule '" + name + "' of bus '" + bus + "'");
  }

  // --- client ids ---

  @Override
  public Optional<String> findEventIdForClientId(String bus, String clientId, Instant notBefore) {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(notBefore, "notBefore");
    return call(
        () -> clientIds.find(bus, clientId, notBefore),
        "look up client id '" + clientId + "' of bus '" + bus + "'");
  }

  @Override
  public void rememberClientIds(List<ClientIdRecord> records) {
    List<ClientIdRecord> copy = List.copyOf(Objects.requireNonNull(records, "records"));
    if (copy.isEmpty()) {
      ensureOpen();
      return;
    }
    run(() -> clientIds.remember(copy), "remember " + copy.size() + " client ids");
  }

  @Override
  public int purgeClientIdsBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    return call(() -> clientIds.purgeBefore(cutoff), "purge client ids before " + cutoff);
  }

  // --- the audit log ---

  @Override
  public AuditAppend appendAudit(List<AuditRecord> records) {
    List<AuditRecord> copy = List.copyOf(Objects.requireNonNull(records, "records"));
    if (copy.isEmpty()) {
      ensureOpen();
      return new AuditAppend(List.of(), List.of());
    }
    return call(() -> audit.append(copy), "append " + copy.size() + " audit entries");
  }

  @Override
  public Page<AuditEntry> auditEntries(AuditFilter filter, int limit, OptionalLong afterSeq) {
    Objects.requireNonNull(filter, "filter");
    Pages.checkLimit(limit);
    Objects.requireNonNull(afterSeq, "afterSeq");
    return call(() -> audit.page(filter, limit, afterSeq), "list the audit log");
  }

  @Override
  public AuditHead auditHead() {
    return call(audit::head, "read the audit log's head");
  }

  @Override
  public Stream<AuditEntry> streamAudit(long afterSeq, long throughSeq) {
    ensureOpen();
    return AuditChunks.stream(
        (after, limit) ->
            call(
                () -> audit.chunk(after, throughSeq, limit),
                "read the audit log after seq " + after),
        afterSeq,
        AUDIT_CHUNK);
  }

  // --- the store ---

  @Override
  public void checkWritable() {
    long now = clock.millis();
    call(() -> db.write(c -> Sql.update(c, HEARTBEAT, s -> s.setLong(1, now))), "accept a write");
  }

  private static void requireName(String kind, String name) {
    if (!Names.isValid(name)) {
      throw new IllegalArgumentException(
          kind + " name must be " + Names.describe() + ", got '" + name + "'");
    }
  }
}
