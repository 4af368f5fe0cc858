package dev.herald.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The comparison of secrets: equal only when equal, whatever their lengths or where they differ.
 */
class SecretDigestTest {
  static final String SECRET = "the-secret-of-a-key-0123456789";

  @Test
  void matchesOnlyTheSameSecret() {
    byte[] known = SecretDigest.of(SECRET);

    assertThat(SecretDigest.matches(SECRET, known)).isTrue();
    assertThat(SecretDigest.matches("X" + SECRET.substring(1), known)).isFalse();
    assertThat(SecretDigest.matches(SECRET.substring(0, SECRET.length() - 1) + "X", known))
        .isFalse();
    assertThat(SecretDigest.matches(SECRET + "0", known)).isFalse();
    assertThat(SecretDigest.matches(SECRET.substring(1), known)).isFalse();
    assertThat(SecretDigest.matches("", known)).isFalse();
  }

  @Test
  void digestsHaveOneLengthSoTheComparisonExaminesEveryByte() {
    // MessageDigest.isEqual compares every byte of equal-length arrays; a fixed length keeps the
    // secret's length out of the time taken
    assertThat(SecretDigest.of("a")).hasSize(32);
    assertThat(SecretDigest.of(SECRET.repeat(8))).hasSize(32);
  }
}
