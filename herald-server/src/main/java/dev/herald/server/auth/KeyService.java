package dev.herald.server.auth;

import dev.herald.core.auth.KeyToken;
import dev.herald.core.auth.Scope;
import dev.herald.core.auth.SecretDigest;
import dev.herald.core.config.ConfigException;
import dev.herald.engine.config.ConfigChange;
import dev.herald.server.http.ApiError;
import dev.herald.store.ApiKey;
import dev.herald.store.ApiKeyStore;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, imports and revokes API keys: writes the store, reloads this instance's {@link KeyRing}
 * at once and announces the change so that every other instance reloads its own (a revoked key
 * stops working everywhere within the feed's latency, well under a second). Keeps an admin key:
 * while none exists a key without {@code admin} is refused, and the last admin key can neither be
 * revoked nor lose {@code admin}. Thread-safe: changes are serialized (they are rare).
 */
public final class KeyService {
  private static final Logger LOG = LoggerFactory.getLogger(KeyService.class);

  private final ApiKeyStore store;
  private final KeyRing ring;
  private final Consumer<ConfigChange> announce;
  private final InstantSource clock;
  private final String instanceId;
  private final SecureRandom random;

  /**
   * @param announce publishes a change notice to the other instances
   */
  public KeyService(
      ApiKeyStore store,
      KeyRing ring,
      Consumer<ConfigChange> announce,
      InstantSource clock,
      String instanceId,
      SecureRandom random) {
    this.store = store;
    this.ring = ring;
    this.announce = announce;
    this.clock = clock;
    this.instanceId = instanceId;
    this.random = random;
  }

  /** A created key and the only copy of its secret. */
  public record Created(ApiKey key, KeyToken token) {}

  /** Creates a key with a new id and secret. */
  public synchronized Created create(String name, List<Scope> scopes, Principal by) {
    requireAdminFirst(scopes);
    KeyToken token = KeyToken.generate(random);
    ApiKey key =
        store.putKey(new ApiKeyStore.KeyWrite(token, name, scopes, Optional.of(by.name())));
    changed(key.id(), false);
    LOG.info("API key {} ({}) created with scopes {} by key {}", key.id(), name, scopes, by.name());
    return new Created(key, token);
  }

  /** Stores a key whose secret the caller holds, creating it or replacing the one with its id. */
  public synchronized ApiKey importKey(
      KeyToken token, String name, List<Scope> scopes, Principal by) {
    requireAdminFirst(scopes);
    if (!scopes.contains(Scope.ADMIN)) {
      requireNotLastAdmin(token.id(), "take 'admin' from");
    }
    ApiKey key =
        store.putKey(new ApiKeyStore.KeyWrite(token, name, scopes, Optional.of(by.name())));
    changed(key.id(), false);
    LOG.info(
        "API key {} ({}) imported with scopes {} by key {}", key.id(), name, scopes, by.name());
    return key;
  }

  /** Revokes a key: it stops working on every instance. */
  public synchronized void revoke(String id, Principal by) {
    if (store.key(id).isEmpty()) {
      throw new ConfigException.NotFound("KeyNotFound", "API key '" + id + "' does not exist");
    }
    requireNotLastAdmin(id, "revoke");
    store.deleteKey(id);
    changed(id, true);
    LOG.info("API key {} revoked by key {}", id, by.name());
  }

  /**
   * Makes sure the bootstrap key exists with that secret and {@code admin} (HERALD_BOOTSTRAP_KEY);
   * leaves it alone when it does.
   */
  public synchronized void ensureBootstrap(KeyToken token) {
    Optional<ApiKey> current = store.key(token.id());
    if (current.isPresent()
        && current.get().isAdmin()
        && SecretDigest.matches(token.secret(), SecretDigest.of(current.get().secret()))) {
      LOG.info("bootstrap API key {} present", token.id());
      return;
    }
    String name = current.map(ApiKey::name).orElse("bootstrap");
    store.putKey(
        new ApiKeyStore.KeyWrite(
            token, name, List.of(Scope.ADMIN), Optional.of(Principal.BOOTSTRAP)));
    ring.reload();
    LOG.info("bootstrap API key {} {}", token.id(), current.isPresent() ? "updated" : "created");
  }

  private void requireAdminFirst(List<Scope> scopes) {
    ring.reload(); // decide on the store's state, not on a notice that may still be on its way
    if (!ring.authOn() && !scopes.contains(Scope.ADMIN)) {
      throw new ApiError(
          400,
          "InvalidRequest",
          "no admin key exists yet: create a key with the scope 'admin' first (or start Herald"
              + " with HERALD_BOOTSTRAP_KEY), so that nobody is locked out",
          "scopes");
    }
  }

  private void requireNotLastAdmin(String id, String action) {
    List<ApiKey> admins = store.keys().stream().filter(ApiKey::isAdmin).toList();
    if (admins.size() == 1 && admins.getFirst().id().equals(id)) {
      throw new ConfigException.Conflict(
          "LastAdminKey",
          "cannot "
              + action
              + " API key '"
              + id
              + "': it is the last admin key; create another admin key first",
          List.of(id));
    }
  }

  private void changed(String id, boolean deleted) {
    ring.reload();
    announce.accept(
        new ConfigChange(
            ConfigChange.Kind.KEY, Optional.empty(), id, 0, deleted, clock.millis(), instanceId));
  }
}
