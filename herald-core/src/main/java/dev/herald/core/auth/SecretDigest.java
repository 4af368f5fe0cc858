package dev.herald.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Compares a presented secret with a known one in constant time: both are hashed to SHA-256 (so
 * that neither their lengths nor their common prefix show in the time taken) and the digests are
 * compared with {@link MessageDigest#isEqual}, which examines every byte. Stateless.
 */
public final class SecretDigest {
  private SecretDigest() {}

  /** The SHA-256 of a secret, to keep in memory and compare against. */
  public static byte[] of(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /**
   * Whether {@code presented} hashes to {@code expected}, in time independent of where they differ.
   */
  public static boolean matches(String presented, byte[] expected) {
    return MessageDigest.isEqual(of(presented), expected);
  }
}
