package dev.herald.store;

import dev.herald.core.audit.AuditEntry;
import dev.herald.core.audit.AuditHead;
import dev.herald.core.audit.AuditRecord;
import dev.herald.core.config.Page;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The audit log role of the state store: an append-only, hash-chained log with exactly one entry
 * per delivery key, read in pages or streamed for verification.
 *
 * <p>Every method is blocking, thread-safe and fails as the {@link StateStore} class comment says
 * ({@link StoreUnavailableException}, {@link StoreClosedException}).
 */
public interface AuditStore {

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
}
