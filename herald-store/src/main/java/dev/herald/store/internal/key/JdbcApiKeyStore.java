package dev.herald.store.internal.key;

import dev.herald.core.auth.KeyToken;
import dev.herald.core.secret.SecretBox;
import dev.herald.store.ApiKey;
import dev.herald.store.ApiKeyStore;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.StoreCalls;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link ApiKeyStore} over either database: checks arguments, then {@link KeyRepository}.
 *
 * <p><b>Thread safety.</b> Stateless apart from the repository, thread-safe as the {@link Database}
 * underneath is.
 */
public final class JdbcApiKeyStore implements ApiKeyStore {
  private final StoreCalls owner;
  private final KeyRepository keys;

  public JdbcApiKeyStore(Database db, StoreCalls calls, InstantSource clock, SecretBox secrets) {
    this.owner = calls;
    this.keys = new KeyRepository(db, clock, secrets);
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
