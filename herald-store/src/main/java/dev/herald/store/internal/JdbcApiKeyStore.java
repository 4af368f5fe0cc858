package dev.herald.store.internal;

import dev.herald.core.auth.KeyToken;
import dev.herald.store.ApiKey;
import dev.herald.store.ApiKeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link ApiKeyStore} of a {@link JdbcStateStore}: checks arguments, delegates to {@link
 * KeyRepository} and reports SQL failures as the owning store does. Stateless; thread-safe.
 */
final class JdbcApiKeyStore implements ApiKeyStore {
  private final DeliveryStateStore owner;
  private final KeyRepository keys;

  JdbcApiKeyStore(DeliveryStateStore owner, KeyRepository keys) {
    this.owner = owner;
    this.keys = keys;
  }

  @Override
  public ApiKey putKey(KeyWrite key) {
    Objects.requireNonNull(key, "key");
    return owner.call(() -> keys.put(key), "store API key '" + key.token().id() + "'");
  }

  @Override
  public Optional<ApiKey> key(String id) {
    requireId(id);
    return owner.call(() -> keys.byId(id), "read API key '" + id + "'");
  }

  @Override
  public List<ApiKey> keys() {
    return owner.call(keys::all, "list API keys");
  }

  @Override
  public boolean deleteKey(String id) {
    requireId(id);
    return owner.call(() -> keys.delete(id), "delete API key '" + id + "'");
  }

  @Override
  public void touchKeys(Map<String, Instant> lastUsed) {
    Map<String, Instant> copy = Map.copyOf(Objects.requireNonNull(lastUsed, "lastUsed"));
    if (copy.isEmpty()) {
      owner.ensureOpen();
      return;
    }
    owner.run(() -> keys.touch(copy), "record the use of " + copy.size() + " API keys");
  }

  private static void requireId(String id) {
    if (!KeyToken.isValidId(id)) {
      throw new IllegalArgumentException("key id " + KeyToken.describeId() + ", got '" + id + "'");
    }
  }
}
