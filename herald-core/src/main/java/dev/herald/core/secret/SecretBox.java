package dev.herald.core.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest with AES-256-GCM: {@code "v1:" + base64(nonce ‖ ciphertext ‖ tag)}, a
 * fresh 96-bit nonce per seal, the purpose bound as associated data so that a sealed value cannot
 * be moved to another place. Thread-safe: a Cipher is made per call.
 */
public final class SecretBox {
  public static final int KEY_BYTES = 32;
  private static final String PREFIX = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random;

  public SecretBox(byte[] key, SecureRandom random) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "a secret key is " + KEY_BYTES + " bytes, got " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.random = random;
  }

  /** A new random key. */
  public static byte[] newKey(SecureRandom random) {
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    return key;
  }

  /** Decodes a base64 key (as kept in HERALD_SECRET_KEY or the key file). */
  public static SecretBox fromBase64(String text, SecureRandom random) {
    try {
      return new SecretBox(Base64.getDecoder().decode(text.trim()), random);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the secret key must be " + KEY_BYTES + " bytes in base64: " + e.getMessage(), e);
    }
  }

  /**
   * A key for another purpose, derived from this one as HMAC-SHA256(key, purpose): 32 bytes, the
   * same for the same key and purpose, unrelated across purposes. The AES key itself only seals.
   */
  public byte[] deriveKey(String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot derive a key", e);
    }
  }

  public String seal(String plaintext, String purpose) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, purpose);
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
      return PREFIX + Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt a secret", e);
    }
  }

  /** Decrypts; fails when the value was altered, sealed for another purpose or with another key. */
  public String open(String sealed, String purpose) {
    if (!sealed.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a sealed secret");
    }
    byte[] bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(bytes, NONCE_BYTES), purpose);
      byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot decrypt a stored secret: wrong key (HERALD_SECRET_KEY) or altered data", e);
    }
  }

  private Cipher cipher(int mode, byte[] nonce, String purpose) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
