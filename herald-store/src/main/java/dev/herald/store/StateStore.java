package dev.herald.store;

import dev.herald.core.config.Page;
import dev.herald.store.internal.StoreFactory;

/**
 * Herald's state store: low-volume, random-access state in SQLite (embedded mode) or PostgreSQL
 * (cluster mode). It plays several roles, and each caller depends on the role it uses, not on the
 * whole store: {@link ConfigStore} (buses, targets, rules), {@link JournalStore} (the delivery
 * ledger: journeys and the journal), {@link RetryStore} (scheduled retries), {@link
 * DeadLetterStore}, {@link QueueStore} (the queues of queue targets), {@link AuditStore} and {@link
 * ClientIdStore}. Only the composition root (herald-server's {@code Herald}) holds the whole store,
 * to open, check and close it and to hand each role to its callers.
 *
 * <p><b>One call, one transaction.</b> Every write method is one transaction: an operation that
 * must be atomic, also when it spans roles (a batch of delivery results, a redrive), is one method
 * of one role, never a sequence of calls. A write that fails leaves nothing of itself behind.
 *
 * <p><b>Thread safety.</b> Every method of every role is blocking and safe to call from any number
 * of threads, virtual threads included. With SQLite, the calling thread never runs native code
 * itself: writes are handed to one platform writer thread that owns the only write connection and
 * commits queued writes in batches, one transaction per batch, each write in a savepoint of its
 * own; reads are handed to a small pool of platform threads that each own a read connection. The
 * caller waits for the result; a write has returned only once its transaction committed, and a read
 * that starts after a write returned sees that write. With PostgreSQL, the calling thread borrows a
 * pooled connection and each call is one transaction.
 *
 * <p><b>Errors.</b> A call the database could not serve throws {@link StoreUnavailableException}
 * (its cause is the {@link java.sql.SQLException}); a call after {@link #close()} throws {@link
 * StoreClosedException}. Invalid arguments throw {@link IllegalArgumentException} or {@link
 * NullPointerException}.
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
public interface StateStore
    extends ConfigStore,
        JournalStore,
        RetryStore,
        DeadLetterStore,
        QueueStore,
        AuditStore,
        ClientIdStore,
        AutoCloseable {

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

  /** The replays of the buses' archives, kept in this store. */
  ReplayStore replays();

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
