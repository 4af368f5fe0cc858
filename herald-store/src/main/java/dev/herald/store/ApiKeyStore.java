package dev.herald.store;

import dev.herald.core.auth.KeyToken;
import dev.herald.core.auth.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The API keys: a role of the {@link StateStore} ({@link StateStore#apiKeys()}). Secrets are stored
 * only sealed with the store's key (purpose {@code "api-key:<id>"}) and come back in clear, so that
 * a request signature (SigV4) can be checked with them later. Thread-safe and blocking, as the
 * store is; errors as the store's.
 */
public interface ApiKeyStore {

  /**
   * What {@link #putKey} stores.
   *
   * @param token the id and the secret
   * @param name what the key is for
   * @param scopes at least one
   * @param changedBy the key that makes the change, empty when none (bootstrap, auth off)
   */
  record KeyWrite(KeyToken token, String name, List<Scope> scopes, Optional<String> changedBy) {
    public KeyWrite {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(name, "name");
      scopes = List.copyOf(scopes);
      if (scopes.isEmpty()) {
        throw new IllegalArgumentException("a key needs at least one scope");
      }
      Objects.requireNonNull(changedBy, "changedBy");
    }
  }

  /** Creates the key, or replaces the name, scopes and secret of the key with that id. */
  ApiKey putKey(KeyWrite key);

  Optional<ApiKey> key(String id);

  /** Every key, ordered by id (there are few). */
  List<ApiKey> keys();

  /** Deletes the key; false when there was none. */
  boolean deleteKey(String id);

  /** Records when keys were last used ({@code id -> when}); unknown ids are ignored. */
  void touchKeys(Map<String, Instant> lastUsed);
}
