package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.auth.KeyToken;
import dev.herald.server.http.TlsFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * HTTPS on the listener from PEM files, against real TLS clients: one that trusts Herald's
 * self-signed certificate (made here with the JDK's keytool) and one that trusts another.
 */
class TlsTest {
  static final KeyToken ADMIN = new KeyToken("hk_tls", "tls-admin-secret-0123456789");

  /** A self-signed certificate for 127.0.0.1 written as cert.pem and key.pem (PKCS#8). */
  record Pem(Path cert, Path key, Certificate certificate) {}

  static Pem selfSigned(Path dir) throws Exception {
    Path store = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "herald",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(output).isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, "changeit".toCharArray());
    }
    Certificate cert = keys.getCertificate("herald");
    Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    Path certFile =
        Files.writeString(
            dir.resolve("cert.pem"),
            "-----BEGIN CERTIFICATE-----\n"
                + pem.encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
    Path keyFile =
        Files.writeString(
            dir.resolve("key.pem"),
            "-----BEGIN PRIVATE KEY-----\n"
                + pem.encodeToString(keys.getKey("herald", "changeit".toCharArray()).getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    return new Pem(certFile, keyFile, cert);
  }

  static HttpClient trusting(Certificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("herald", cert);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).build();
  }

  @Test
  void servesHttpsToAClientThatTrustsItsCertificateAndNoOtherClient() throws Exception {
    Path dir = TestHerald.tempDir();
    Pem server = selfSigned(Files.createDirectories(dir.resolve("server")));
    Pem other = selfSigned(Files.createDirectories(dir.resolve("other")));
    try (Herald herald =
        Herald.start(
            HeraldConfig.embedded(dir.resolve("data")).withPort(0),
            SecuritySettings.defaults()
                .withBootstrapKey(ADMIN)
                .withTls(server.cert(), server.key()))) {
      URI keys = URI.create("https://127.0.0.1:" + herald.port() + "/v1/keys");
      HttpRequest request =
          HttpRequest.newBuilder(keys).header("Authorization", "Bearer " + ADMIN.text()).build();

      HttpResponse<String> answer =
          trusting(server.certificate()).send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains(ADMIN.id());

      assertThatThrownBy(
              () ->
                  trusting(other.certificate()).send(request, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class)
          .satisfies(e -> assertThat(causes(e)).anyMatch(SSLHandshakeException.class::isInstance));

      HttpRequest plain =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.port() + "/health/live"))
              .build();
      assertThatThrownBy(() -> TestHerald.HTTP.send(plain, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
      assertThat(Files.readString(dir.resolve("data/runtime.properties")))
          .contains("http.url=https://127.0.0.1:" + herald.port());
    }
  }

  @Test
  void unusableFilesAreRefusedNamingTheFile() throws Exception {
    Path dir = TestHerald.tempDir();
    Pem pem = selfSigned(dir);
    Path pkcs1 =
        Files.writeString(
            dir.resolve("rsa.pem"),
            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

    assertThatThrownBy(() -> TlsFiles.load(pem.cert(), pkcs1))
        .hasMessageContaining("--tls-key " + pkcs1)
        .hasMessageContaining("openssl pkcs8");
    assertThatThrownBy(() -> TlsFiles.load(pem.key(), pem.key()))
        .hasMessageContaining("--tls-cert " + pem.key());
    assertThatThrownBy(() -> TlsFiles.load(dir.resolve("missing.pem"), pem.key()))
        .hasMessageContaining("cannot read --tls-cert");
    assertThatThrownBy(
            () ->
                SecuritySettings.fromEnv(
                    java.util.Map.of("HERALD_TLS_CERT", pem.cert().toString())))
        .hasMessageContaining("both a certificate and a key");
  }

  private static List<Throwable> causes(Throwable e) {
    List<Throwable> chain = new java.util.ArrayList<>();
    for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
