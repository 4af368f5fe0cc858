package dev.herald.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.herald.core.json.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Splits a target's settings into what may be shown and the secrets (stored encrypted), and merges
 * them back. Secret locations are JSON pointers relative to the settings object.
 */
public final class Secrets {
  private Secrets() {}

  /** A copy of {@code settings} with every present secret replaced by {@code "***"}. */
  public static ObjectNode mask(ObjectNode settings, List<String> paths) {
    ObjectNode copy = settings.deepCopy();
    for (String path : paths) {
      replace(copy, path, TextNode.valueOf(TargetTypes.MASK), true);
    }
    return copy;
  }

  /** The secrets of {@code settings} alone, as {@code {pointer: value}}. */
  public static ObjectNode extract(ObjectNode settings, List<String> paths) {
    ObjectNode secrets = Json.object();
    for (String path : paths) {
      JsonNode value = settings.at(path);
      if (!value.isMissingNode() && !value.isNull()) {
        secrets.set(path, value);
      }
    }
    return secrets;
  }

  /** {@code settings} with the secrets of {@link #extract} put back in place. */
  public static ObjectNode merge(ObjectNode settings, ObjectNode secrets) {
    ObjectNode copy = settings.deepCopy();
    secrets.fields().forEachRemaining(e -> replace(copy, e.getKey(), e.getValue(), false));
    return copy;
  }

  /**
   * For an update of a target of {@code type}: each secret sent as {@code "***"} (a GET's body sent
   * back) keeps the stored value; any other value replaces it. A secret is bound to its destination
   * ({@link TargetTypes#DESTINATIONS}): when the host of a URL or SMTP server changes, every secret
   * bound to it must be sent again.
   *
   * @throws ConfigException.Invalid naming the secrets to send again, or a masked secret that is
   *     not stored
   */
  public static ObjectNode keepMasked(String type, ObjectNode incoming, ObjectNode stored) {
    requireResentForNewHosts(type, incoming, stored);
    ObjectNode copy = incoming.deepCopy();
    for (String path : TargetTypes.secretPaths(type, incoming)) {
      if (isMasked(copy.at(path))) {
        JsonNode old = stored.at(path);
        if (old.isMissingNode()) {
          String field = field(type, path);
          throw new ConfigException.Invalid(
              field, field + ": a secret sent as \"***\" must already be stored");
        }
        replace(copy, path, old, true);
      }
    }
    return copy;
  }

  private static void requireResentForNewHosts(
      String type, ObjectNode incoming, ObjectNode stored) {
    Map<String, List<String>> destinations = TargetTypes.DESTINATIONS.getOrDefault(type, Map.of());
    Set<String> masked = new LinkedHashSet<>();
    for (String path : TargetTypes.secretPaths(type, incoming)) {
      if (isMasked(incoming.at(path))) {
        masked.add(path);
      }
    }
    Set<String> resend = new LinkedHashSet<>();
    String moved = null;
    for (Map.Entry<String, List<String>> d :
        new TreeMap<>(destinations).descendingMap().entrySet()) {
      if (sameHost(incoming.at(d.getKey()), stored.at(d.getKey()))) {
        continue;
      }
      for (String path : masked) {
        boolean bound =
            d.getValue().contains(path)
                || (d.getValue().contains("/headers/*") && path.startsWith("/headers/"));
        if (bound && resend.add(field(type, path)) && moved == null) {
          moved = field(type, d.getKey());
        }
      }
    }
    if (!resend.isEmpty()) {
      String first = resend.iterator().next();
      throw new ConfigException.Invalid(
          "SecretsRequired",
          first,
          "the host of "
              + moved
              + " changed: a stored secret is never sent to a new host; send "
              + String.join(", ", resend)
              + " again (not \"***\")");
    }
  }

  /** Whether two destinations (URLs or host names) have the same host, ignoring case. */
  private static boolean sameHost(JsonNode incoming, JsonNode stored) {
    if (stored.isMissingNode() || isMasked(incoming)) {
      return true; // nothing stored to leak, or the stored destination is kept
    }
    return host(incoming).equals(host(stored));
  }

  private static String host(JsonNode value) {
    String text = value.isTextual() ? value.asText().strip() : value.toString();
    try {
      URI uri = new URI(text);
      if (uri.getScheme() != null && uri.getHost() != null) {
        return uri.getHost().toLowerCase(Locale.ROOT);
      }
    } catch (URISyntaxException e) {
      // not a URL: an SMTP host name, compared as written
    }
    return text.toLowerCase(Locale.ROOT);
  }

  private static boolean isMasked(JsonNode value) {
    return value.isTextual() && value.asText().equals(TargetTypes.MASK);
  }

  /** The API's name of a secret: {@code webhook.auth.bearer}, {@code webhook.headers.X-Api-Key}. */
  static String field(String type, String pointer) {
    StringBuilder field = new StringBuilder(type);
    for (String segment : pointer.substring(1).split("/", -1)) {
      field.append('.').append(TargetTypes.unescape(segment));
    }
    return field.toString();
  }

  /** Sets the value at {@code pointer} when its parent object exists (and, if asked, the key). */
  private static void replace(
      ObjectNode root, String pointer, JsonNode value, boolean onlyIfPresent) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = slash == 0 ? root : root.at(pointer.substring(0, slash));
    String key = TargetTypes.unescape(pointer.substring(slash + 1));
    if (parent instanceof ObjectNode object && (!onlyIfPresent || object.has(key))) {
      object.set(key, value);
    }
  }
}
