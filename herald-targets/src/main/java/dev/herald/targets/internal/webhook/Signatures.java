package dev.herald.targets.internal.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." +
 * body)>}, one per key, space-separated. Stateless (a new {@link Mac} per call).
 */
final class Signatures {
  private Signatures() {}

  static String sign(List<byte[]> keys, String id, long timestamp, byte[] body) {
    StringJoiner header = new StringJoiner(" ");
    byte[] prefix = (id + "." + timestamp + ".").getBytes(UTF_8);
    for (byte[] key : keys) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(prefix);
        header.add("v1," + Base64.getEncoder().encodeToString(mac.doFinal(body)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is not available", e);
      }
    }
    return header.toString();
  }
}
