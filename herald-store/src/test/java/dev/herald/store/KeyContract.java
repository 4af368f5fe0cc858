package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.auth.KeyToken;
import dev.herald.core.auth.Scope;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * API keys: stored with their secret sealed, read back in clear, replaced by an import with the
 * same id, deleted, and their last use recorded only forward in time.
 */
abstract class KeyContract extends ContractPart {
  static final KeyToken TOKEN = new KeyToken("hk_contract1", "s3cr3t-s3cr3t-s3cr3t-s3cr3t");

  private static ApiKeyStore.KeyWrite write(KeyToken token, String name, Scope... scopes) {
    return new ApiKeyStore.KeyWrite(token, name, List.of(scopes), Optional.of("hk_admin"));
  }

  @Test
  void aStoredKeyComesBackWithItsSecretScopesAndAuthor() {
    ApiKey stored =
        store().apiKeys().putKey(write(TOKEN, "orders", Scope.publish("orders"), Scope.READ));

    assertThat(stored.id()).isEqualTo(TOKEN.id());
    assertThat(stored.secret()).isEqualTo(TOKEN.secret());
    assertThat(stored.scopes()).containsExactly(Scope.publish("orders"), Scope.READ);
    assertThat(stored.changedBy()).contains("hk_admin");
    assertThat(stored.lastUsedAt()).isEmpty();
    assertThat(reopen().apiKeys().key(TOKEN.id())).contains(stored);
  }

  @Test
  void theSecretIsStoredOnlySealed() throws Exception {
    store().apiKeys().putKey(write(TOKEN, "orders", Scope.ADMIN));

    List<String> values = new ArrayList<>();
    try (Connection c = rawConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT * FROM api_keys")) {
      while (rows.next()) {
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
          values.add(rows.getString(i));
        }
      }
    }
    assertThat(values).isNotEmpty().noneMatch(v -> v != null && v.contains(TOKEN.secret()));
  }

  @Test
  void aKeySealedWithAnotherSecretKeyCannotBeRead() {
    store().apiKeys().putKey(write(TOKEN, "orders", Scope.ADMIN));
    StateStore reopened = reopenWith(config().withSecrets(StoreConfig.randomSecrets()));

    assertThatThrownBy(() -> reopened.apiKeys().key(TOKEN.id()))
        .isInstanceOf(UnreadableSecretsException.class)
        .hasMessageContaining(TOKEN.id());
  }

  @Test
  void anImportReplacesNameScopesAndSecretButKeepsCreatedAt() {
    ApiKey first = store().apiKeys().putKey(write(TOKEN, "orders", Scope.READ));
    KeyToken rotated = new KeyToken(TOKEN.id(), "another-secret-of-length-20");

    ApiKey second = store().apiKeys().putKey(write(rotated, "orders-v2", Scope.queue("*")));

    assertThat(second.secret()).isEqualTo(rotated.secret());
    assertThat(second.name()).isEqualTo("orders-v2");
    assertThat(second.scopes()).containsExactly(Scope.queue("*"));
    assertThat(second.createdAt()).isEqualTo(first.createdAt());
    assertThat(store().apiKeys().keys()).containsExactly(second);
  }

  @Test
  void keysAreListedByIdAndDeletedOneByOne() {
    store().apiKeys().putKey(write(new KeyToken("hk_b", TOKEN.secret()), "b", Scope.READ));
    store().apiKeys().putKey(write(new KeyToken("hk_a", TOKEN.secret()), "a", Scope.ADMIN));

    assertThat(store().apiKeys().keys()).extracting(ApiKey::id).containsExactly("hk_a", "hk_b");
    assertThat(store().apiKeys().deleteKey("hk_a")).isTrue();
    assertThat(store().apiKeys().deleteKey("hk_a")).isFalse();
    assertThat(store().apiKeys().key("hk_a")).isEmpty();
    assertThat(store().apiKeys().keys()).extracting(ApiKey::id).containsExactly("hk_b");
  }

  @Test
  void lastUseMovesOnlyForward() {
    store().apiKeys().putKey(write(TOKEN, "orders", Scope.READ));
    Instant t1 = Instant.parse("2026-03-01T10:00:00Z");

    store().apiKeys().touchKeys(Map.of(TOKEN.id(), t1, "hk_unknown", t1));
    store().apiKeys().touchKeys(Map.of(TOKEN.id(), t1.minusSeconds(60)));

    assertThat(store().apiKeys().key(TOKEN.id()).orElseThrow().lastUsedAt()).contains(t1);
  }

  @Test
  void aMalformedIdIsRefused() {
    assertThatThrownBy(() -> store().apiKeys().key("has.dot"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key id");
  }
}
