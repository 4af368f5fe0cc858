package dev.herald.targets.internal.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.ConfigException;
import dev.herald.core.tls.Pem;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A webhook's own TLS: the certificate authorities it trusts instead of the JDK's ({@code
 * caCertificates}, for a receiver behind a company's private CA), and a client certificate with its
 * key for mutual TLS ({@code clientCertificate}, {@code clientKey}; the key is a secret). Checked
 * when the target is stored: PEM that does not parse, a key that is not the certificate's, one of
 * the pair without the other, or an {@code http} URL, are errors naming the field.
 *
 * <p>Immutable; the socket factory is built once and is thread-safe.
 */
record WebhookTls(
    Optional<List<X509Certificate>> authorities,
    Optional<Identity> client,
    SSLSocketFactory socketFactory) {

  /** A client certificate chain (the client's first) and its private key. */
  record Identity(List<X509Certificate> chain, PrivateKey key) {}

  static Optional<WebhookTls> parse(JsonNode node, String scheme) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      throw invalid("webhook.tls", "webhook.tls must be an object");
    }
    ObjectNode tls = (ObjectNode) node;
    for (var names = tls.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!List.of("caCertificates", "clientCertificate", "clientKey").contains(name)) {
        throw invalid(
            "webhook.tls." + name,
            "unknown field webhook.tls."
                + name
                + "; allowed: caCertificates, clientCertificate, clientKey");
      }
    }
    if (!scheme.equalsIgnoreCase("https")) {
      throw invalid(
          "webhook.tls", "webhook.tls applies to https URLs only; webhook.url is " + scheme);
    }
    Optional<List<X509Certificate>> authorities =
        text(tls, "caCertificates").map(pem -> certificates(pem, "webhook.tls.caCertificates"));
    Optional<String> certificate = text(tls, "clientCertificate");
    Optional<String> key = text(tls, "clientKey");
    if (certificate.isPresent() != key.isPresent()) {
      String missing =
          certificate.isPresent() ? "webhook.tls.clientKey" : "webhook.tls.clientCertificate";
      throw invalid(
          missing, missing + " is required with the other half of the client certificate");
    }
    Optional<Identity> client = certificate.map(pem -> identity(pem, key.orElseThrow()));
    if (authorities.isEmpty() && client.isEmpty()) {
      throw invalid(
          "webhook.tls", "webhook.tls needs caCertificates, or clientCertificate and clientKey");
    }
    return Optional.of(new WebhookTls(authorities, client, socketFactory(authorities, client)));
  }

  private static Identity identity(String certificatePem, String keyPem) {
    List<X509Certificate> chain = certificates(certificatePem, "webhook.tls.clientCertificate");
    var publicKey = chain.getFirst().getPublicKey();
    PrivateKey key;
    try {
      key = Pem.privateKey(keyPem, publicKey.getAlgorithm(), "webhook.tls.clientKey");
    } catch (IllegalArgumentException e) {
      throw invalid("webhook.tls.clientKey", e.getMessage());
    }
    if (!Pem.pairs(key, publicKey)) {
      throw invalid(
          "webhook.tls.clientKey",
          "webhook.tls.clientKey is not the private key of webhook.tls.clientCertificate");
    }
    return new Identity(chain, key);
  }

  private static List<X509Certificate> certificates(String pem, String field) {
    try {
      return Pem.certificates(pem, field);
    } catch (IllegalArgumentException e) {
      throw invalid(field, e.getMessage());
    }
  }

  private static SSLSocketFactory socketFactory(
      Optional<List<X509Certificate>> authorities, Optional<Identity> client) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (authorities.isPresent()) {
        KeyStore anchors = emptyStore();
        for (int i = 0; i < authorities.get().size(); i++) {
          anchors.setCertificateEntry("ca-" + i, authorities.get().get(i));
        }
        trust.init(anchors);
      } else {
        trust.init((KeyStore) null); // the JDK's trusted authorities
      }
      KeyManagerFactory keys = null;
      if (client.isPresent()) {
        char[] password = new char[0];
        KeyStore identity = emptyStore();
        identity.setKeyEntry(
            "client",
            client.get().key(),
            password,
            client.get().chain().toArray(new X509Certificate[0]));
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity, password);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw invalid("webhook.tls", "webhook.tls cannot be used: " + e.getMessage());
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, java.io.IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static Optional<String> text(ObjectNode tls, String key) {
    JsonNode value = tls.get(key);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw invalid("webhook.tls." + key, "webhook.tls." + key + " must be PEM text");
    }
    return Optional.of(value.asText());
  }

  private static ConfigException.Invalid invalid(String field, String message) {
    return new ConfigException.Invalid(field, message);
  }
}
