package dev.herald.core.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Certificates and private keys in PEM text: X.509 certificates ({@code BEGIN CERTIFICATE}, one or
 * several) and PKCS#8 private keys ({@code BEGIN PRIVATE KEY}; RSA, EC or EdDSA). Every problem is
 * an {@link IllegalArgumentException} whose message starts with {@code what} (a field or a file, as
 * the caller names it) and never holds key material. Stateless.
 */
public final class Pem {
  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PKCS8_END = "-----END PRIVATE KEY-----";

  private Pem() {}

  /**
   * @return the certificates of {@code pem}, in order; at least one
   */
  public static List<X509Certificate> certificates(String pem, String what) {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      for (var cert :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.ISO_8859_1)))) {
        certificates.add((X509Certificate) cert);
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          what + " is not PEM certificates (BEGIN CERTIFICATE): " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          what + " holds no certificate (expected PEM: BEGIN CERTIFICATE)");
    }
    return List.copyOf(certificates);
  }

  /**
   * @param algorithm the key's algorithm, that of the certificate it goes with ({@code
   *     PublicKey.getAlgorithm()})
   */
  public static PrivateKey privateKey(String pem, String algorithm, String what) {
    int begin = pem.indexOf(PKCS8_BEGIN);
    int end = pem.indexOf(PKCS8_END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          what
              + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY); convert one with:"
              + " openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
    }
    String base64 = pem.substring(begin + PKCS8_BEGIN.length(), end).replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      // the provider's message never holds the key's bytes
      throw new IllegalArgumentException(
          what + " is not a " + algorithm + " private key: " + e.getMessage(), e);
    }
  }

  /** Whether {@code key} is the private half of {@code publicKey}: it signs, the other verifies. */
  public static boolean pairs(PrivateKey key, PublicKey publicKey) {
    String algorithm =
        switch (publicKey.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          case "Ed448" -> "Ed448";
          default -> null;
        };
    if (algorithm == null) {
      return false;
    }
    byte[] challenge = "herald: does this key pair up".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(key);
      sign.update(challenge);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(publicKey);
      verify.update(challenge);
      return verify.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
