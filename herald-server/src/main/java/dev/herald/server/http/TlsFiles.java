package dev.herald.server.http;

import dev.herald.core.tls.Pem;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The listener's TLS from two PEM files: the certificate chain (the server's certificate first) and
 * its private key in PKCS#8 ({@code BEGIN PRIVATE KEY}; RSA, EC or EdDSA). Every problem is an
 * error naming the file and what to do. Stateless.
 */
public final class TlsFiles {
  private TlsFiles() {}

  /**
   * Reads both files into Helidon's TLS settings.
   *
   * @throws IllegalArgumentException naming the file when one cannot be read or used
   */
  public static Tls load(Path certFile, Path keyFile) {
    List<X509Certificate> chain =
        Pem.certificates(read(certFile, "--tls-cert"), "--tls-cert " + certFile);
    String algorithm = chain.getFirst().getPublicKey().getAlgorithm();
    PrivateKey key = Pem.privateKey(read(keyFile, "--tls-key"), algorithm, "--tls-key " + keyFile);
    if (!Pem.pairs(key, chain.getFirst().getPublicKey())) {
      throw new IllegalArgumentException(
          "--tls-key "
              + keyFile
              + " is not the private key of the certificate in --tls-cert "
              + certFile);
    }
    return Tls.builder().privateKey(key).privateKeyCertChain(chain).build();
  }

  private static String read(Path file, String option) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1); // each byte as it is: PEM or DER
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + e, e);
    }
  }
}
