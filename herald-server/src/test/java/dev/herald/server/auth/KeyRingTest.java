package dev.herald.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.auth.KeyToken;
import dev.herald.core.auth.Scope;
import dev.herald.server.http.ApiError;
import dev.herald.store.ApiKeyStore;
import dev.herald.store.StateStore;
import dev.herald.store.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The key ring over a real SQLite store, on a fake clock. */
class KeyRingTest {
  static final KeyToken ADMIN = new KeyToken("hk_admin", "admin-secret-0123456789");
  static final KeyToken READER = new KeyToken("hk_reader", "reader-secret-0123456789");

  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-05-01T12:00:00Z"));
  final InstantSource clock = () -> now.get();
  StateStore store;
  KeyRing ring;

  @BeforeEach
  void open() throws IOException {
    store = StateStore.open(StoreConfig.sqlite(Files.createTempDirectory("keyring")));
    ring = new KeyRing(store.apiKeys(), clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void put(KeyToken token, Scope... scopes) {
    store.apiKeys().putKey(new ApiKeyStore.KeyWrite(token, "t", List.of(scopes), Optional.empty()));
    ring.reload();
  }

  private static Optional<String> bearer(KeyToken token) {
    return Optional.of("Bearer " + token.text());
  }

  @Test
  void authIsOffUntilAnAdminKeyExists() {
    assertThat(ring.authOn()).isFalse();
    assertThat(ring.authenticate(Optional.empty())).isEqualTo(Principal.AUTH_OFF);

    put(ADMIN, Scope.ADMIN);

    assertThat(ring.authOn()).isTrue();
    assertThatThrownBy(() -> ring.authenticate(Optional.empty()))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThat(ring.authenticate(bearer(ADMIN)).keyId()).contains(ADMIN.id());
  }

  @Test
  void theBearerSchemeIsCaseInsensitiveAndTheSecretIsNot() {
    put(ADMIN, Scope.ADMIN);

    assertThat(ring.authenticate(Optional.of("bearer " + ADMIN.text())).keyId()).isPresent();
    assertThatThrownBy(
            () ->
                ring.authenticate(
                    Optional.of("Bearer " + ADMIN.id() + "." + ADMIN.secret().toUpperCase())))
        .isInstanceOf(ApiError.class);
  }

  @Test
  void aKeyDeletedInTheStoreStopsWorkingAtTheNextReload() {
    put(ADMIN, Scope.ADMIN);
    put(READER, Scope.READ);
    assertThat(ring.authenticate(bearer(READER)).scopes()).containsExactly(Scope.READ);

    store.apiKeys().deleteKey(READER.id());
    ring.reload();

    assertThatThrownBy(() -> ring.authenticate(bearer(READER)))
        .isInstanceOf(ApiError.class)
        .hasMessageContaining("unknown or revoked");
  }

  @Test
  void useIsWrittenAtMostOncePerMinutePerKey() {
    put(ADMIN, Scope.ADMIN);
    for (int i = 0; i < 100; i++) {
      ring.authenticate(bearer(ADMIN));
      now.set(now.get().plusMillis(100));
    }
    assertThat(ring.flushUse()).isEqualTo(1); // one write for 100 requests
    Instant first = store.apiKeys().key(ADMIN.id()).orElseThrow().lastUsedAt().orElseThrow();
    assertThat(first).isEqualTo(Instant.parse("2026-05-01T12:00:00Z"));

    ring.authenticate(bearer(ADMIN)); // 10 s later: not recorded again
    assertThat(ring.flushUse()).isZero();

    now.set(now.get().plus(Duration.ofMinutes(1)));
    ring.authenticate(bearer(ADMIN));
    ring.reload(); // a reload keeps what was recorded but not yet written
    assertThat(ring.flushUse()).isEqualTo(1);
    assertThat(store.apiKeys().key(ADMIN.id()).orElseThrow().lastUsedAt()).contains(now.get());
  }
}
