package dev.herald.server;

import static dev.herald.server.AdminApiTest.assertError;
import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A webhook's own TLS against a real HTTPS receiver that requires a client certificate: the target
 * trusts the receiver's private CA (here its self-signed certificate) and proves itself with its
 * client certificate; without it the handshake fails and the attempt says why.
 */
class WebhookTlsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Herald herald = TestHerald.shared();
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<String> clients = new CopyOnWriteArrayList<>();
  private TlsTest.Pem serverPem;
  private TlsTest.Pem clientPem;
  private HttpsServer receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    Path dir = TestHerald.tempDir();
    serverPem = TlsTest.selfSigned(Files.createDirectories(dir.resolve("server")));
    clientPem = TlsTest.selfSigned(Files.createDirectories(dir.resolve("client")));
    receiver = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    SSLContext context = serverContext(serverPem, clientPem.certificate());
    receiver.setHttpsConfigurator(
        new HttpsConfigurator(context) {
          @Override
          public void configure(HttpsParameters params) {
            var ssl = context.getDefaultSSLParameters();
            ssl.setNeedClientAuth(true); // mutual TLS: no client certificate, no handshake
            params.setSSLParameters(ssl);
          }
        });
    receiver.createContext(
        "/hook",
        exchange -> {
          try {
            Certificate peer = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
            clients.add(((X509Certificate) peer).getSubjectX500Principal().getName());
          } catch (SSLPeerUnverifiedException e) {
            clients.add("none");
          }
          received.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  private String url() {
    return "https://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  private ObjectNode webhook(String url, String ca, String cert, String key) {
    ObjectNode target = JSON.createObjectNode().put("type", "webhook");
    ObjectNode webhook = target.putObject("webhook").put("url", url);
    ObjectNode tls = webhook.putObject("tls");
    if (ca != null) {
      tls.put("caCertificates", ca);
    }
    if (cert != null) {
      tls.put("clientCertificate", cert);
    }
    if (key != null) {
      tls.put("clientKey", key);
    }
    target.putObject("retry").put("maxAttempts", 3);
    return target;
  }

  private String publishTo(String target) {
    var rule =
        put(
            herald,
            "/v1/buses/default/rules/" + target,
            "{'pattern':{'source':['" + target + "']},'targets':[{'target':'" + target + "'}]}");
    assertThat(rule.status()).as(String.valueOf(rule.body())).isEqualTo(200);
    JsonNode answer =
        postJson(
                herald,
                "{'entries':[{'source':'" + target + "','detailType':'T','detail':{'n':1}}]}")
            .body();
    return answer.at("/entries/0/eventId").asText();
  }

  @Test
  void aWebhookWithItsOwnAuthorityAndClientCertificateDeliversOverMutualTls() throws Exception {
    String name = "mtls-" + id;
    var stored =
        put(
            herald,
            "/v1/targets/" + name,
            webhook(url(), pem(serverPem.cert()), pem(clientPem.cert()), pem(clientPem.key()))
                .toString());
    assertThat(stored.status()).as(String.valueOf(stored.body())).isEqualTo(200);
    JsonNode shown = get(herald, "/v1/targets/" + name).body();
    assertThat(shown.at("/webhook/tls/clientKey").asText()).isEqualTo("***");
    assertThat(shown.at("/webhook/tls/clientCertificate").asText()).contains("BEGIN CERTIFICATE");

    String eventId = publishTo(name);

    await().atMost(Duration.ofSeconds(60)).until(() -> !received.isEmpty());
    assertThat(received.getFirst()).contains(eventId);
    assertThat(clients).first().asString().contains("CN=localhost");
  }

  @Test
  void withoutAClientCertificateTheReceiverRefusesAndTheAttemptSaysSo() throws Exception {
    String name = "notls-" + id;
    var stored =
        put(
            herald,
            "/v1/targets/" + name,
            webhook(url(), pem(serverPem.cert()), null, null).toString());
    assertThat(stored.status()).as(String.valueOf(stored.body())).isEqualTo(200);

    String eventId = publishTo(name);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                get(herald, "/v1/events/" + eventId)
                    .body()
                    .at("/deliveries/0/lastError/code")
                    .asText()
                    .equals("ConnectionFailed"));
    assertThat(received).isEmpty();
  }

  @Test
  void badTlsSettingsAreRefusedNamingTheField() throws Exception {
    String path = "/v1/targets/badtls-" + id;
    String cert = pem(clientPem.cert());
    String otherKey = pem(serverPem.key()); // a key, but not this certificate's

    assertError(
        put(herald, path, webhook(url(), null, cert, otherKey).toString()),
        400,
        "InvalidField",
        "webhook.tls.clientKey");
    assertError(
        put(herald, path, webhook(url(), null, cert, null).toString()),
        400,
        "InvalidField",
        "webhook.tls.clientKey");
    assertError(
        put(herald, path, webhook(url(), "not pem", null, null).toString()),
        400,
        "InvalidField",
        "webhook.tls.caCertificates");
    assertError(
        put(herald, path, webhook(url().replace("https:", "http:"), cert, null, null).toString()),
        400,
        "InvalidField",
        "webhook.tls");
    assertError(
        put(herald, path, webhook(url(), null, null, null).toString()),
        400,
        "InvalidField",
        "webhook.tls");
  }

  @Test
  void theClientKeyIsBoundToTheReceiversHost() throws Exception {
    String path = "/v1/targets/bound-" + id;
    String cert = pem(clientPem.cert());
    assertThat(
            put(herald, path, webhook(url(), null, cert, pem(clientPem.key())).toString()).status())
        .isEqualTo(200);

    var moved =
        put(
            herald,
            path,
            webhook(url().replace("127.0.0.1", "localhost"), null, cert, "***").toString());

    assertError(moved, 400, "SecretsRequired", "webhook.tls.clientKey");
  }

  private static String pem(Path file) throws Exception {
    return Files.readString(file);
  }

  private static SSLContext serverContext(TlsTest.Pem server, Certificate trustedClient)
      throws Exception {
    String key = Files.readString(server.key());
    var privateKey =
        dev.herald.core.tls.Pem.privateKey(
            key, server.certificate().getPublicKey().getAlgorithm(), "key");
    KeyStore identity = KeyStore.getInstance("PKCS12");
    identity.load(null, null);
    identity.setKeyEntry(
        "server", privateKey, new char[0], new Certificate[] {server.certificate()});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(identity, new char[0]);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("client", trustedClient);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }
}
