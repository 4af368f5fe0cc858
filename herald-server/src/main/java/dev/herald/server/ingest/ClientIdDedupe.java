package dev.herald.server.ingest;

import dev.herald.store.ClientIdRecord;
import dev.herald.store.ClientIdStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deduplicates producers' own entry ids per bus for {@link #WINDOW}: an id seen within the window
 * answers with the original event id and stores nothing. Recorded ids live in the state store (so
 * the window survives a restart); ids being stored right now are claimed in memory, so that two
 * concurrent requests with one id store one event. Thread-safe: claims live in a concurrent map;
 * the owner of a claim completes its future, waiters block on it (virtual threads).
 */
final class ClientIdDedupe {
  static final Duration WINDOW = Duration.ofMinutes(5);

  private final ClientIdStore store;
  private final Map<String, CompletableFuture<Optional<String>>> inFlight =
      new ConcurrentHashMap<>();

  ClientIdDedupe(ClientIdStore store) {
    this.store = store;
  }

  /** The outcome of claiming a client id. */
  sealed interface Claim {
    /** This caller stores the event and must {@link #release} the claim. */
    record Owned(String key, CompletableFuture<Optional<String>> outcome) implements Claim {}

    /** The id was already stored within the window. */
    record Duplicate(String eventId) implements Claim {}
  }

  Claim claim(String bus, String clientId, Instant now) {
    String key = bus + '\u0000' + clientId;
    while (true) {
      CompletableFuture<Optional<String>> mine = new CompletableFuture<>();
      CompletableFuture<Optional<String>> other = inFlight.putIfAbsent(key, mine);
      if (other == null) {
        Optional<String> recorded;
        try {
          recorded = store.findEventIdForClientId(bus, clientId, now.minus(WINDOW));
        } catch (RuntimeException e) {
          release(new Claim.Owned(key, mine), Optional.empty());
          throw e;
        }
        if (recorded.isPresent()) {
          release(new Claim.Owned(key, mine), recorded);
          return new Claim.Duplicate(recorded.get());
        }
        return new Claim.Owned(key, mine);
      }
      Optional<String> stored = other.join();
      if (stored.isPresent()) {
        return new Claim.Duplicate(stored.get());
      }
      // the other request failed to store it: try to become the owner
    }
  }

  /** Records stored ids durably; called before the publisher is answered. */
  void remember(List<ClientIdRecord> records) {
    if (!records.isEmpty()) {
      store.rememberClientIds(records);
    }
  }

  void release(Claim.Owned claim, Optional<String> eventId) {
    inFlight.remove(claim.key(), claim.outcome());
    claim.outcome().complete(eventId);
  }

  int purgeExpired(Instant now) {
    return store.purgeClientIdsBefore(now.minus(WINDOW));
  }
}
