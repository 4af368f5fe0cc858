package dev.herald.store.internal.audit;

import dev.herald.core.audit.AuditEntry;
import dev.herald.core.audit.AuditHead;
import dev.herald.core.audit.AuditRecord;
import dev.herald.core.config.Page;
import dev.herald.store.AuditAppend;
import dev.herald.store.AuditFilter;
import dev.herald.store.AuditStore;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.Pages;
import dev.herald.store.internal.db.StoreCalls;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The {@link AuditStore} over either database: checks arguments, then {@link AuditRepository};
 * streams read the log a chunk at a time ({@link AuditChunks}).
 *
 * <p><b>Thread safety.</b> Stateless apart from the repository, thread-safe as the {@link Database}
 * underneath is.
 */
public final class JdbcAuditStore implements AuditStore {
  /** Audit entries read per chunk when streaming the log. */
  static final int AUDIT_CHUNK = 1000;

  private final StoreCalls calls;
  private final AuditRepository audit;

  public JdbcAuditStore(Database db, StoreCalls calls, InstantSource clock) {
    this.calls = calls;
    this.audit = new AuditRepository(db, clock);
  }

  @Override
  public AuditAppend appendAudit(List<AuditRecord> records) {
    List<AuditRecord> copy = List.copyOf(Objects.requireNonNull(records, "records"));
    if (copy.isEmpty()) {
      calls.ensureOpen();
      return new AuditAppend(List.of(), List.of());
    }
    return calls.call(() -> audit.append(copy), "append " + copy.size() + " audit entries");
  }

  @Override
  public Page<AuditEntry> auditEntries(AuditFilter filter, int limit, OptionalLong afterSeq) {
    Objects.requireNonNull(filter, "filter");
    Pages.checkLimit(limit);
    Objects.requireNonNull(afterSeq, "afterSeq");
    return calls.call(() -> audit.page(filter, limit, afterSeq), "list the audit log");
  }

  @Override
  public AuditHead auditHead() {
    return calls.call(audit::head, "read the audit log's head");
  }

  @Override
  public Stream<AuditEntry> streamAudit(long afterSeq, long throughSeq) {
    calls.ensureOpen();
    return AuditChunks.stream(
        (after, limit) ->
            calls.call(
                () -> audit.chunk(after, throughSeq, limit),
                "read the audit log after seq " + after),
        afterSeq,
        AUDIT_CHUNK);
  }
}
