package dev.herald.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The client ids role of the state store: the event id ingest assigned to each client-supplied
 * entry id, so that a retried publish within the dedupe window answers with the original event.
 *
 * <p>Every method is blocking, thread-safe and fails as the {@link StateStore} class comment says
 * ({@link StoreUnavailableException}, {@link StoreClosedException}).
 */
public interface ClientIdStore {

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
}
