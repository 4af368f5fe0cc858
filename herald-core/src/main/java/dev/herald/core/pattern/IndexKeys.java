package dev.herald.core.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds the exact string values a pattern requires of a top-level field, which lets {@link
 * RuleMatcher} skip the pattern for events whose field has none of them. Stateless.
 *
 * <p>A field qualifies only when its value list holds plain strings and nothing else (no operator,
 * number, boolean or null) and no {@code $or} anywhere at the top level mentions the field: then an
 * event matches the pattern only if its field equals (or, for an array, contains) one of the
 * strings, whatever the rest of the pattern says.
 */
final class IndexKeys {
  private static final String OR = "$or";

  private IndexKeys() {}

  /** The strings the field must equal; empty when the pattern does not constrain it that way. */
  static Set<String> exactStrings(ObjectNode pattern, String field) {
    JsonNode values = pattern.get(field);
    if (values == null
        || !values.isArray()
        || values.isEmpty()
        || mentions(pattern.get(OR), field)) {
      return Set.of();
    }
    Set<String> strings = new LinkedHashSet<>();
    for (JsonNode value : values) {
      if (!value.isTextual()) {
        return Set.of();
      }
      strings.add(value.textValue());
    }
    return strings;
  }

  /** Whether the field's name appears as a key anywhere under this node. */
  private static boolean mentions(JsonNode node, String field) {
    if (node == null) {
      return false;
    }
    if (node.isObject() && node.has(field)) {
      return true;
    }
    for (JsonNode child : node) {
      if (mentions(child, field)) {
        return true;
      }
    }
    return false;
  }
}
