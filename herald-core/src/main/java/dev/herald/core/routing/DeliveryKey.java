package dev.herald.core.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The identity of one delivery across all its attempts: a stable hash of (event id, rule, target,
 * replay name or none). It is the {@code webhook-id}, the idempotency key handed to receivers and
 * the dedupe key of every sink. Two rules sending one event to one target are two deliveries; a
 * replay is a new delivery.
 */
public final class DeliveryKey {
  private DeliveryKey() {}

  /** 32 lowercase hex characters: the first 128 bits of SHA-256 over the four parts. */
  public static String of(String eventId, String rule, String target, Optional<String> replay) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {eventId, rule, target, replay.orElse("")}) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        sha.update((byte) (bytes.length >>> 8));
        sha.update((byte) bytes.length); // length-prefixed: ("a","bc") differs from ("ab","c")
        sha.update(bytes);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
