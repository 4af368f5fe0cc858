package dev.herald.targets.internal.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.ConfigException;
import dev.herald.targets.internal.http.HeaderRules;
import dev.herald.targets.internal.http.HttpUrls;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of a {@code webhook} target, checked. Errors name the field ({@code webhook.auth})
 * and what is wrong with it, never a secret's value.
 *
 * @param secrets the signing keys (decoded), newest first; empty when requests are not signed
 * @param tls the target's own trusted authorities and client certificate, if it has them
 */
record WebhookSettings(
    URI url,
    String method,
    List<Map.Entry<String, String>> headers,
    List<byte[]> secrets,
    Format format,
    Auth auth,
    Optional<WebhookTls> tls) {
  static final int MAX_HEADERS = 32;
  static final int MAX_HEADER_NAME_CHARS = 256;
  static final int MAX_HEADER_VALUE_CHARS = 4096;
  static final int MAX_HEADERS_BYTES = 16 * 1024;

  enum Format {
    ENVELOPE,
    CLOUDEVENTS,
    CLOUDEVENTS_BINARY
  }

  /** How requests authenticate to the receiver. */
  sealed interface Auth {
    record None() implements Auth {}

    /** {@code value} is the whole {@code Authorization} header value. */
    record Static(String value) implements Auth {}

    record OAuth(URI tokenUrl, String clientId, String clientSecret, Optional<String> scope)
        implements Auth {}
  }

  static WebhookSettings parse(ObjectNode s) {
    URI url = HttpUrls.parse(s.get("url"), "webhook.url");
    String method = text(s, "method", "webhook.method").orElse("POST").toUpperCase(Locale.ROOT);
    if (!HeaderRules.isToken(method)) {
      throw invalid(
          "webhook.method", "webhook.method must be an HTTP method, got '" + method + "'");
    }
    String format = text(s, "format", "webhook.format").orElse("envelope");
    if (!format.equals("envelope")
        && !format.equals("cloudevents")
        && !format.equals("cloudevents-binary")) {
      throw invalid(
          "webhook.format",
          "webhook.format must be 'envelope', 'cloudevents' or 'cloudevents-binary', got '"
              + format
              + "'");
    }
    return new WebhookSettings(
        url,
        method,
        headers(s.get("headers")),
        secrets(s.get("secret")),
        Format.valueOf(format.toUpperCase(Locale.ROOT).replace('-', '_')),
        auth(s.get("auth")),
        WebhookTls.parse(s.get("tls"), url.getScheme()));
  }

  private static List<Map.Entry<String, String>> headers(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isObject()) {
      throw invalid("webhook.headers", "webhook.headers must be an object of strings");
    }
    if (node.size() > MAX_HEADERS) {
      throw invalid(
          "webhook.headers",
          "webhook.headers has " + node.size() + " headers; the limit is " + MAX_HEADERS);
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    int totalBytes = 0;
    for (var fields = node.fields(); fields.hasNext(); ) {
      var field = fields.next();
      String name = field.getKey();
      String where = "webhook.headers." + name;
      if (!HeaderRules.isToken(name)) {
        throw invalid(where, where + ": '" + name + "' is not a valid header name");
      }
      if (HeaderRules.isReserved(name) || name.equalsIgnoreCase("authorization")) {
        throw invalid(where, where + ": " + name + " is set by Herald and cannot be configured");
      }
      if (!field.getValue().isTextual() || !HeaderRules.isValue(field.getValue().asText())) {
        throw invalid(where, where + " must be a string without control characters");
      }
      String value = field.getValue().asText();
      if (name.length() > MAX_HEADER_NAME_CHARS || value.length() > MAX_HEADER_VALUE_CHARS) {
        throw invalid(
            where,
            where
                + ": a header name may have at most "
                + MAX_HEADER_NAME_CHARS
                + " characters and a value "
                + MAX_HEADER_VALUE_CHARS);
      }
      totalBytes += name.length() + value.length() + 4;
      if (totalBytes > MAX_HEADERS_BYTES) {
        throw invalid(
            "webhook.headers",
            "webhook.headers are larger than " + MAX_HEADERS_BYTES + " bytes together");
      }
      headers.add(Map.entry(name, value));
    }
    return List.copyOf(headers);
  }

  private static List<byte[]> secrets(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    List<JsonNode> values = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(values::add);
    } else {
      values.add(node);
    }
    if (values.isEmpty()) {
      throw invalid("webhook.secret", "webhook.secret must not be an empty array");
    }
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      String where = node.isArray() ? "webhook.secret[" + i + "]" : "webhook.secret";
      keys.add(secret(values.get(i), where));
    }
    return List.copyOf(keys);
  }

  private static byte[] secret(JsonNode value, String where) {
    if (!value.isTextual()) {
      throw invalid(where, where + " must be a string 'whsec_<base64>'");
    }
    String text = value.asText();
    String encoded = text.startsWith("whsec_") ? text.substring("whsec_".length()) : text;
    try {
      byte[] key = Base64.getDecoder().decode(encoded);
      if (key.length < 16 || key.length > 64) {
        throw invalid(where, where + " must hold 16 to 64 bytes, got " + key.length);
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw invalid(where, where + " must be 'whsec_' followed by base64 (value not shown)");
    }
  }

  private static Auth auth(JsonNode node) {
    if (node == null || node.isNull()) {
      return new Auth.None();
    }
    if (!node.isObject() || node.size() != 1) {
      throw invalid(
          "webhook.auth", "webhook.auth must be one of {basic: ...}, {bearer: ...}, {oauth: ...}");
    }
    ObjectNode auth = (ObjectNode) node;
    if (auth.has("basic")) {
      ObjectNode basic = object(auth.get("basic"), "webhook.auth.basic");
      String user = requiredText(basic, "username", "webhook.auth.basic.username");
      String password = requiredText(basic, "password", "webhook.auth.basic.password");
      if (user.contains(":")) {
        throw invalid("webhook.auth.basic.username", "webhook.auth.basic.username contains ':'");
      }
      String pair = user + ":" + password;
      return new Auth.Static(
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    if (auth.has("bearer")) {
      String token = requiredText(auth, "bearer", "webhook.auth.bearer");
      if (!HeaderRules.isValue(token)) {
        throw invalid("webhook.auth.bearer", "webhook.auth.bearer contains control characters");
      }
      return new Auth.Static("Bearer " + token);
    }
    if (auth.has("oauth")) {
      ObjectNode o = object(auth.get("oauth"), "webhook.auth.oauth");
      return new Auth.OAuth(
          HttpUrls.parse(o.get("tokenUrl"), "webhook.auth.oauth.tokenUrl"),
          requiredText(o, "clientId", "webhook.auth.oauth.clientId"),
          requiredText(o, "clientSecret", "webhook.auth.oauth.clientSecret"),
          text(o, "scope", "webhook.auth.oauth.scope"));
    }
    throw invalid(
        "webhook.auth", "webhook.auth must be one of {basic: ...}, {bearer: ...}, {oauth: ...}");
  }

  private static ObjectNode object(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw invalid(where, where + " must be an object");
    }
    return (ObjectNode) node;
  }

  private static Optional<String> text(ObjectNode s, String key, String where) {
    JsonNode v = s.get(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw invalid(where, where + " must be a string");
    }
    return Optional.of(v.asText());
  }

  private static String requiredText(ObjectNode s, String key, String where) {
    return text(s, key, where)
        .filter(v -> !v.isBlank())
        .orElseThrow(() -> invalid(where, where + " is required"));
  }

  private static ConfigException.Invalid invalid(String field, String message) {
    return new ConfigException.Invalid(field, message);
  }
}
