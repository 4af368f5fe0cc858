package dev.herald.core.auth;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An API key as a client holds it: {@code <id>.<secret>}. The id is public (it names the key in
 * lists and logs); the secret is shown once and never logged.
 *
 * @param id {@code [A-Za-z0-9_-]{1,64}}; generated ids start with {@code hk_}
 * @param secret {@code [A-Za-z0-9_-]{20,256}}; generated secrets are 32 random bytes in base64url
 */
public record KeyToken(String id, String secret) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{20,256}");
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final int ID_CHARS = 16;
  private static final int SECRET_BYTES = 32;

  public KeyToken {
    if (!isValidId(id)) {
      throw new IllegalArgumentException("key id " + describeId());
    }
    if (!isValidSecret(secret)) {
      throw new IllegalArgumentException("key secret " + describeSecret());
    }
  }

  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public static boolean isValidSecret(String secret) {
    return secret != null && SECRET.matcher(secret).matches();
  }

  public static String describeId() {
    return "must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'";
  }

  public static String describeSecret() {
    return "must be 20 to 256 characters of A-Z, a-z, 0-9, '_' or '-'";
  }

  /** A new key: an id {@code hk_} + 16 base62 characters, a secret of 32 random bytes. */
  public static KeyToken generate(SecureRandom random) {
    StringBuilder id = new StringBuilder("hk_");
    for (int i = 0; i < ID_CHARS; i++) {
      id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return new KeyToken(
        id.toString(), java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  /** Splits {@code <id>.<secret>}; empty when the text is not of that form. */
  public static Optional<KeyToken> parse(String text) {
    Objects.requireNonNull(text, "text");
    int dot = text.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    String id = text.substring(0, dot);
    String secret = text.substring(dot + 1);
    return isValidId(id) && isValidSecret(secret)
        ? Optional.of(new KeyToken(id, secret))
        : Optional.empty();
  }

  /** The form clients send: {@code <id>.<secret>}. */
  public String text() {
    return id + "." + secret;
  }

  /** Never the secret. */
  @Override
  public String toString() {
    return "KeyToken[" + id + "]";
  }
}
