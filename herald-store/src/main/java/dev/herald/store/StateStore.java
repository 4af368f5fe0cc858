package dev.herald.store;

import dev.herald.store.internal.StoreFactory;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Herald's state store: low-volume, random-access state (buses now; rules, targets, retries, dead
 * letters, the journal and more later) in SQLite (embedded mode) or PostgreSQL (cluster mode).
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
 * <p>Open one with {@link #open(StoreConfig)}; it applies pending schema migrations before it
 * returns.
 */
public interface StateStore extends AutoCloseable {

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
