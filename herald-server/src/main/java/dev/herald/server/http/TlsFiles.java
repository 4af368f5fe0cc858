package dev.herald.server.http;

import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The listener's TLS from two PEM files: the certificate chain (the server's certificate first) and
 * its private key in PKCS#8 ({@code BEGIN PRIVATE KEY}; RSA, EC or EdDSA). Every problem is an
 * error naming the file and what to do. Stateless.
 */
public final class TlsFiles {
  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PKCS8_END = "-----END PRIVATE KEY-----";

  private TlsFiles() {}

  /**
   * Reads both files into Helidon's TLS settings.
   *
   * @throws IllegalArgumentException naming the file when one cannot be read or used
   */
  public static Tls load(Path certFile, Path keyFile) {
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile, chain.getFirst().getPublicKey().getAlgorithm());
    return Tls.builder().privateKey(key).privateKeyCertChain(chain).build();
  }

  private static List<X509Certificate> certificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> chain = new ArrayList<>();
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        chain.add((X509Certificate) cert);
      }
      if (chain.isEmpty()) {
        throw new IllegalArgumentException(
            "--tls-cert " + file + " holds no certificate (expected PEM: BEGIN CERTIFICATE)");
      }
      return chain;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --tls-cert " + file + ": " + e, e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "--tls-cert " + file + " is not a PEM certificate chain: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path file, String algorithm) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --tls-key " + file + ": " + e, e);
    }
    int begin = text.indexOf(PKCS8_BEGIN);
    int end = text.indexOf(PKCS8_END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          "--tls-key "
              + file
              + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY); convert one with:"
              + " openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
    }
    String base64 = text.substring(begin + PKCS8_BEGIN.length(), end).replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "--tls-key "
              + file
              + " is not a "
              + algorithm
              + " private key matching --tls-cert: "
              + e.getMessage(),
          e);
    }
  }
}
