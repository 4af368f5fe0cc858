package dev.herald.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void aSealedValueOpensOnlyForItsPurpose() {
    SecretBox box = new SecretBox(SecretBox.newKey(RANDOM), RANDOM);
    String sealed = box.seal("whsec_x", "target:a");

    assertThat(box.open(sealed, "target:a")).isEqualTo("whsec_x");
    assertThatThrownBy(() -> box.open(sealed, "target:b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDerivedKeyDependsOnTheKeyAndThePurposeAndIsNotTheKey() {
    byte[] key = SecretBox.newKey(RANDOM);
    SecretBox box = new SecretBox(key, RANDOM);

    byte[] receipts = box.deriveKey("herald-queue-receipts");

    assertThat(receipts).hasSize(32).isNotEqualTo(key);
    assertThat(new SecretBox(key.clone(), RANDOM).deriveKey("herald-queue-receipts"))
        .isEqualTo(receipts);
    assertThat(box.deriveKey("another purpose")).isNotEqualTo(receipts);
    byte[] otherKey = Arrays.copyOf(key, key.length);
    otherKey[0] ^= 1;
    assertThat(new SecretBox(otherKey, RANDOM).deriveKey("herald-queue-receipts"))
        .isNotEqualTo(receipts);
  }
}
