package dev.herald.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.herald.core.json.Json;
import java.util.List;

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
   * For an update: each secret sent as {@code "***"} (a GET's body sent back) keeps the stored
   * value; any other value replaces it.
   */
  public static ObjectNode keepMasked(ObjectNode incoming, ObjectNode stored, List<String> paths) {
    ObjectNode copy = incoming.deepCopy();
    for (String path : paths) {
      JsonNode sent = copy.at(path);
      if (sent.isTextual() && sent.asText().equals(TargetTypes.MASK)) {
        JsonNode old = stored.at(path);
        if (old.isMissingNode()) {
          throw new ConfigException.Invalid(
              path.substring(1).replace('/', '.'),
              "a secret sent as \"***\" must already be stored");
        }
        replace(copy, path, old, true);
      }
    }
    return copy;
  }

  /** Sets the value at {@code pointer} when its parent object exists (and, if asked, the key). */
  private static void replace(
      ObjectNode root, String pointer, JsonNode value, boolean onlyIfPresent) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = slash == 0 ? root : root.at(pointer.substring(0, slash));
    String key = pointer.substring(slash + 1);
    if (parent instanceof ObjectNode object && (!onlyIfPresent || object.has(key))) {
      object.set(key, value);
    }
  }
}
