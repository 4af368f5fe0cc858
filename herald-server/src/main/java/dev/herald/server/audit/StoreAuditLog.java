package dev.herald.server.audit;

import dev.herald.core.audit.AuditRecord;
import dev.herald.core.event.EventId;
import dev.herald.server.ingest.BusDirectory;
import dev.herald.store.Bus;
import dev.herald.store.StateStore;
import dev.herald.targets.AuditLog;
import java.util.List;

/**
 * The audit targets' log on the state store: each append is one {@link StateStore#appendAudit} (the
 * SQLite writer commits concurrent appends in one batch; PostgreSQL serializes them on the chain's
 * head), with the event's bus read from its id.
 *
 * <p>Thread-safe: stateless; the store and the bus directory are thread-safe.
 */
public final class StoreAuditLog implements AuditLog {
  private final StateStore store;
  private final BusDirectory buses;

  public StoreAuditLog(StateStore store, BusDirectory buses) {
    this.store = store;
    this.buses = buses;
  }

  @Override
  public boolean append(AuditRecord record) {
    AuditRecord withBus =
        EventId.parse(record.eventId())
            .flatMap(id -> buses.byOrdinal(id.busOrdinal()))
            .map(Bus::name)
            .map(record::withBus)
            .orElse(record);
    return !store.appendAudit(List.of(withBus)).appended().isEmpty();
  }
}
