package dev.herald.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The target types Herald knows, the settings each accepts, and which of them are secrets
 * (write-only: stored encrypted, shown as {@code "***"}). The settings of each type are checked
 * here for shape; a type's implementation checks the rest when it is built.
 */
public final class TargetTypes {
  public static final String MASK = "***";

  private record Type(Set<String> keys, List<String> required, List<String> secrets) {}

  private static final Map<String, Type> TYPES =
      Map.of(
          "webhook",
          new Type(
              Set.of("url", "method", "headers", "secret", "format", "auth", "tls"),
              List.of("url"),
              List.of(
                  "/secret",
                  "/auth/basic/password",
                  "/auth/bearer",
                  "/auth/oauth/clientSecret",
                  "/tls/clientKey")),
          "email",
          new Type(
              Set.of("smtp", "from", "to", "cc", "subject", "text", "html"),
              List.of("smtp", "from", "to"),
              List.of("/smtp/password")),
          "chat",
          // an incoming webhook's URL is its credential
          new Type(Set.of("url", "text", "blocks"), List.of("url"), List.of("/url")),
          "analytics",
          new Type(Set.of(), List.of(), List.of()),
          "audit",
          new Type(Set.of(), List.of(), List.of()),
          "log",
          new Type(Set.of(), List.of(), List.of()),
          "queue",
          new Type(Set.of("visibilitySeconds"), List.of(), List.of()),
          "bus",
          new Type(Set.of("bus"), List.of("bus"), List.of()),
          "function",
          new Type(Set.of("handler", "jar"), List.of("handler", "jar"), List.of()));

  private TargetTypes() {}

  public static Set<String> names() {
    return new java.util.TreeSet<>(TYPES.keySet());
  }

  public static boolean exists(String type) {
    return TYPES.containsKey(type);
  }

  /** JSON pointers (within the settings) of the fixed secret values of a type. */
  public static List<String> secretPaths(String type) {
    Type t = TYPES.get(type);
    return t == null ? List.of() : t.secrets();
  }

  /**
   * JSON pointers of the secret values of {@code settings}: the type's fixed ones, and for a
   * webhook the value of every custom header (write-only, as they often carry credentials).
   */
  public static List<String> secretPaths(String type, JsonNode settings) {
    List<String> fixed = secretPaths(type);
    JsonNode headers = settings.path("headers");
    if (!type.equals("webhook") || !headers.isObject() || headers.isEmpty()) {
      return fixed;
    }
    List<String> paths = new java.util.ArrayList<>(fixed);
    headers.fieldNames().forEachRemaining(name -> paths.add("/headers/" + escape(name)));
    return List.copyOf(paths);
  }

  /**
   * Where a type's secrets are sent: the JSON pointer of a destination (a URL, or an SMTP host) and
   * the secrets bound to it. Changing the host of a destination while sending {@code "***"} for a
   * bound secret is refused: a stored secret never follows a target to a new host. {@code
   * "/headers/*"} stands for every custom header value.
   */
  static final Map<String, Map<String, List<String>>> DESTINATIONS =
      Map.of(
          "webhook",
          Map.of(
              "/url",
                  List.of(
                      "/secret",
                      "/auth/basic/password",
                      "/auth/bearer",
                      "/auth/oauth/clientSecret", // its access tokens go to the URL
                      "/tls/clientKey", // the client certificate's identity proven to the URL
                      "/headers/*"),
              "/auth/oauth/tokenUrl", List.of("/auth/oauth/clientSecret")),
          "email",
          Map.of("/smtp/host", List.of("/smtp/password")));

  /** A JSON pointer segment for {@code key} (RFC 6901). */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  /** The key a JSON pointer segment stands for. */
  static String unescape(String segment) {
    return segment.replace("~1", "/").replace("~0", "~");
  }

  /** Checks the settings' keys and required fields; {@code path} is the settings' field name. */
  static void check(String type, ObjectNode settings, String path) {
    Type t = TYPES.get(type);
    for (var names = settings.fieldNames(); names.hasNext(); ) {
      String key = names.next();
      if (!t.keys().contains(key)) {
        throw new ConfigException.Invalid(
            "UnknownField",
            path + "." + key,
            "unknown field "
                + path
                + "."
                + key
                + (t.keys().isEmpty()
                    ? "; " + type + " takes no settings"
                    : "; allowed: " + new java.util.TreeSet<>(t.keys())));
      }
    }
    for (String key : t.required()) {
      JsonNode value = settings.get(key);
      if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
        throw new ConfigException.Invalid(path + "." + key, path + "." + key + " is required");
      }
    }
    if (type.equals("webhook")
        || (type.equals("chat") && !MASK.equals(settings.get("url").asText()))) {
      checkUrl(settings.get("url"), path + ".url"); // a masked chat URL keeps the stored one
    }
    if (type.equals("bus") && !dev.herald.core.event.Names.isValid(settings.get("bus").asText())) {
      throw new ConfigException.Invalid(path + ".bus", path + ".bus must be a bus name");
    }
  }

  private static void checkUrl(JsonNode value, String field) {
    String problem = null;
    if (!value.isTextual()) {
      problem = "must be a string";
    } else {
      try {
        URI uri = new URI(value.asText());
        if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()))
            || uri.getHost() == null) {
          problem = "must be an absolute http or https URL";
        }
      } catch (java.net.URISyntaxException e) {
        problem = "is not a URL: " + e.getReason();
      }
    }
    if (problem != null) {
      throw new ConfigException.Invalid(field, field + " " + problem);
    }
  }
}
