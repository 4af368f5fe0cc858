package dev.herald.server.audit;

import dev.herald.core.audit.AuditRecord;
import dev.herald.core.event.EventId;
import dev.herald.server.ingest.BusDirectory;
import dev.herald.store.AuditStore;
import dev.herald.store.Bus;
import dev.herald.targets.AuditLog;
import java.util.List;

/**
 * The audit targets' log on the state store: each append is one {@link AuditStore#appendAudit} (the
 * SQLite writer commits concurrent appends in one batch; PostgreSQL serializes them on the chain's
 * head), with the event's bus read from its id.
 *
 * <p>Thread-safe: stateless; the store and the bus directory are thread-safe.
 */
public final class StoreAuditLog implements AuditLog {
  private final AuditStore store;
  private final BusDirectory buses;

  public StoreAuditLog(AuditStore store, BusDirectory buses) {
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
