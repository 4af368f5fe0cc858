package dev.herald.server.queue;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.herald.store.QueueLease;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Receipt handles: what a consumer gets for each received message and sends back to ack, nack or
 * extend it. {@code base64url(messageId "." leaseToken) "." base64url(HMAC-SHA256(key, queue "\n"
 * messageId "." leaseToken))}: the lease of one receive, bound to its queue and signed, so a handle
 * cannot be forged, altered or used on another queue. Whether the lease is still live (not received
 * again, not expired, its visibility perhaps extended) is the store's to say, so a handle carries
 * no expiry of its own and stays the same when its visibility changes, as in SQS.
 *
 * <p>The key is derived from Herald's secret key for this purpose only ({@link #PURPOSE}); every
 * instance sharing a store has the same secret key, so any instance accepts any instance's handles.
 *
 * <p>Thread-safety: immutable; each call signs with its own copy of a {@link Mac} initialized once
 * with the key (a clone: looking the algorithm up and initializing it per call cost more than the
 * signature).
 */
final class ReceiptHandles {
  static final String PURPOSE = "herald-queue-receipts";

  /** Longer handles are not ours (ids are 26 characters, tokens 22). */
  static final int MAX_LENGTH = 256;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final Mac prototype;

  ReceiptHandles(byte[] key) {
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.prototype = newMac();
  }

  /** The handle of {@code lease}, a message of {@code queue}. */
  String issue(String queue, QueueLease lease) {
    String payload = lease.messageId() + "." + lease.leaseToken();
    return ENCODER.encodeToString(payload.getBytes(UTF_8))
        + "."
        + ENCODER.encodeToString(mac(queue, payload));
  }

  /** The lease a handle names, when it is a handle this Herald issued for {@code queue}. */
  Optional<QueueLease> verify(String queue, String handle) {
    int dot = handle.lastIndexOf('.');
    if (handle.length() > MAX_LENGTH || dot < 0) {
      return Optional.empty();
    }
    String payload;
    byte[] signature;
    try {
      payload = new String(DECODER.decode(handle.substring(0, dot)), UTF_8);
      signature = DECODER.decode(handle.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int split = payload.indexOf('.');
    if (split <= 0
        || split == payload.length() - 1
        || !MessageDigest.isEqual(signature, mac(queue, payload))) {
      return Optional.empty();
    }
    return Optional.of(new QueueLease(payload.substring(0, split), payload.substring(split + 1)));
  }

  private byte[] mac(String queue, String payload) {
    Mac mac;
    try {
      mac = (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      mac = newMac(); // a provider whose Mac cannot be copied
    }
    return mac.doFinal((queue + "\n" + payload).getBytes(UTF_8));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
