package dev.herald.server.auth;

import dev.herald.core.auth.KeyToken;
import dev.herald.core.auth.SecretDigest;
import dev.herald.server.http.ApiError;
import dev.herald.store.ApiKey;
import dev.herald.store.ApiKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys of this instance, in memory: authenticates requests without touching the store. Auth
 * is on while at least one admin key exists. Each key's secret is kept as its SHA-256 and compared
 * in constant time ({@link SecretDigest}); an unknown id costs the same comparison.
 *
 * <p>The last use of a key is recorded in memory at most once per {@link #TOUCH_INTERVAL} and
 * written to the store in batches by {@link #flushUse()}, never once per request.
 *
 * <p><b>Thread safety.</b> {@link #reload()} (the change feed's thread, key changes on this
 * instance, a timer) builds a new immutable snapshot and publishes it through a volatile field;
 * request threads read the current snapshot. Use times are atomics carried from one snapshot to the
 * next; pending writes sit in a concurrent map that {@link #flushUse()} drains.
 */
public final class KeyRing {
  private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);

  /** A key's last use is recorded at most this often. */
  public static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

  private static final byte[] NO_KEY = SecretDigest.of("no such key: compared all the same");

  /** A stored key with the digest of its secret and when it was last recorded as used. */
  private record Entry(ApiKey key, byte[] digest, AtomicLong lastTouchedMillis) {}

  private record Snapshot(Map<String, Entry> byId, boolean authOn) {}

  private final ApiKeyStore store;
  private final InstantSource clock;
  private final Map<String, Instant> pendingUse = new ConcurrentHashMap<>();
  private volatile Snapshot snapshot = new Snapshot(Map.of(), false);

  public KeyRing(ApiKeyStore store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Reads every key from the store again; a revoked key stops working when this returns. */
  public synchronized void reload() {
    Map<String, Entry> old = snapshot.byId();
    Map<String, Entry> next = new HashMap<>();
    boolean admin = false;
    for (ApiKey key : store.keys()) {
      long stored = key.lastUsedAt().map(Instant::toEpochMilli).orElse(0L);
      Entry previous = old.get(key.id());
      long touched =
          previous == null ? stored : Math.max(stored, previous.lastTouchedMillis().get());
      next.put(key.id(), new Entry(key, SecretDigest.of(key.secret()), new AtomicLong(touched)));
      admin |= key.isAdmin();
    }
    boolean wasOn = snapshot.authOn();
    snapshot = new Snapshot(Map.copyOf(next), admin);
    if (wasOn != admin) {
      LOG.info("auth is now {} ({} API keys)", admin ? "on" : "off", next.size());
    }
  }

  /** Whether requests need a key: at least one admin key exists. */
  public boolean authOn() {
    return snapshot.authOn();
  }

  /** The keys as this instance knows them, with their last use as recorded here. */
  public List<ApiKey> keys() {
    return snapshot.byId().values().stream()
        .map(KeyRing::withLastUse)
        .sorted(java.util.Comparator.comparing(ApiKey::id))
        .toList();
  }

  public Optional<ApiKey> key(String id) {
    return Optional.ofNullable(snapshot.byId().get(id)).map(KeyRing::withLastUse);
  }

  private static ApiKey withLastUse(Entry e) {
    long touched = e.lastTouchedMillis().get();
    Optional<Instant> lastUsed =
        touched == 0 ? e.key().lastUsedAt() : Optional.of(Instant.ofEpochMilli(touched));
    ApiKey k = e.key();
    return new ApiKey(
        k.id(),
        k.name(),
        k.scopes(),
        k.secret(),
        k.createdAt(),
        k.updatedAt(),
        lastUsed,
        k.changedBy());
  }

  /**
   * Authenticates the value of an {@code Authorization} header.
   *
   * @return the key's principal, or {@link Principal#AUTH_OFF} while auth is off
   * @throws ApiError 401 {@code Unauthorized} for a missing, malformed, unknown or revoked key
   */
  public Principal authenticate(Optional<String> authorization) {
    Snapshot current = snapshot;
    if (!current.authOn()) {
      return Principal.AUTH_OFF;
    }
    String header =
        authorization.orElseThrow(
            () ->
                unauthorized(
                    "no API key: send the header" + " 'Authorization: Bearer <id>.<secret>'"));
    if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("the Authorization header must be 'Bearer <id>.<secret>'");
    }
    KeyToken token =
        KeyToken.parse(header.substring(7).trim())
            .orElseThrow(() -> unauthorized("malformed API key: expected <id>.<secret>"));
    Entry entry = current.byId().get(token.id());
    boolean matches = SecretDigest.matches(token.secret(), entry == null ? NO_KEY : entry.digest());
    if (entry == null || !matches) {
      throw unauthorized("unknown or revoked API key '" + token.id() + "'");
    }
    touch(entry);
    return new Principal(Optional.of(token.id()), entry.key().scopes());
  }

  /**
   * The principal of key {@code id} once the caller verified the request's signature with the key's
   * secret (SigV4, {@code dev.herald.server.aws}); records the use as {@link #authenticate} does.
   * Empty when no such key exists (any more).
   */
  public Optional<Principal> signedBy(String id) {
    Entry entry = snapshot.byId().get(id);
    if (entry == null) {
      return Optional.empty();
    }
    touch(entry);
    return Optional.of(new Principal(Optional.of(id), entry.key().scopes()));
  }

  private void touch(Entry entry) {
    long now = clock.millis();
    long last = entry.lastTouchedMillis().get();
    if (now - last >= TOUCH_INTERVAL.toMillis()
        && entry.lastTouchedMillis().compareAndSet(last, now)) {
      pendingUse.merge(entry.key().id(), Instant.ofEpochMilli(now), (a, b) -> a.isAfter(b) ? a : b);
    }
  }

  /** Writes the recorded uses to the store (one batch); returns how many keys it wrote. */
  public int flushUse() {
    if (pendingUse.isEmpty()) {
      return 0;
    }
    Map<String, Instant> batch = new HashMap<>();
    for (String id : List.copyOf(pendingUse.keySet())) {
      Instant at = pendingUse.remove(id);
      if (at != null) {
        batch.put(id, at);
      }
    }
    store.touchKeys(batch);
    return batch.size();
  }

  static ApiError unauthorized(String message) {
    return new ApiError(401, "Unauthorized", message);
  }
}
