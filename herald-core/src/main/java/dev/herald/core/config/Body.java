package dev.herald.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one JSON object of a request body field by field, with errors that name the field by its
 * full path, and rejects fields nobody read ({@link #finish}). Not thread-safe: one per parse.
 */
public final class Body {
  private final ObjectNode node;
  private final String path;
  private final Set<String> read = new HashSet<>();

  private Body(ObjectNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** The body (or a nested object at {@code path}); an error when it is not an object. */
  public static Body of(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new ConfigException.Invalid(
          path.isEmpty() ? "" : path,
          (path.isEmpty() ? "the body" : path) + " must be a JSON object");
    }
    return new Body((ObjectNode) node, path);
  }

  public String field(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public Optional<JsonNode> node(String name) {
    read.add(name);
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  public Optional<String> text(String name, int maxLength) {
    return node(name)
        .map(
            v -> {
              if (!v.isTextual() || v.asText().length() > maxLength) {
                throw invalid(name, "must be a string of at most " + maxLength + " characters");
              }
              return v.asText();
            });
  }

  public String requiredText(String name, int maxLength) {
    String text = text(name, maxLength).orElseThrow(() -> invalid(name, "is required"));
    if (text.isBlank()) {
      throw invalid(name, "must not be blank");
    }
    return text;
  }

  public boolean bool(String name, boolean fallback) {
    return node(name)
        .map(
            v -> {
              if (!v.isBoolean()) {
                throw invalid(name, "must be true or false");
              }
              return v.asBoolean();
            })
        .orElse(fallback);
  }

  public long number(String name, long fallback, long min, long max) {
    return node(name)
        .map(
            v -> {
              if (!isWholeNumber(v, min, max)) {
                throw invalid(
                    name, "must be a whole number from " + min + " to " + max + ", got " + v);
              }
              return v.longValue();
            })
        .orElse(fallback);
  }

  /**
   * Whether {@code v} is a JSON number with a whole value from {@code min} to {@code max}: never
   * wrapped past 2^64 ({@code 18446744073709556616} is not 5000) nor truncated ({@code 1e100} is
   * not 0), and {@code 5.0} is 5.
   */
  public static boolean isWholeNumber(JsonNode v, long min, long max) {
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() && v.longValue() >= min && v.longValue() <= max;
    }
    if (v.isFloatingPointNumber()) {
      double d = v.doubleValue();
      return d == Math.rint(d) && d >= min && d <= max;
    }
    return false;
  }

  public double decimal(String name, double fallback, double min, double max) {
    return node(name)
        .map(
            v -> {
              if (!v.isNumber()
                  || !Double.isFinite(v.asDouble())
                  || v.asDouble() < min
                  || v.asDouble() > max) {
                throw invalid(name, "must be a number from " + min + " to " + max);
              }
              return v.asDouble();
            })
        .orElse(fallback);
  }

  /** Every field of this object as text (a map such as an input transformer's paths). */
  public java.util.Map<String, String> textMap(int maxLength) {
    java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      map.put(name, text(name, maxLength).orElseThrow(() -> invalid(name, "must be a string")));
    }
    return map;
  }

  public Optional<Body> object(String name) {
    return node(name).map(v -> Body.of(v, field(name)));
  }

  /** Rejects the fields that were not read, naming all of them. */
  public void finish() {
    List<String> unknown = new ArrayList<>();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!read.contains(name)) {
        unknown.add(field(name));
      }
    }
    if (!unknown.isEmpty()) {
      throw new ConfigException.Invalid(
          "UnknownField",
          unknown.getFirst(),
          "unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown));
    }
  }

  public ConfigException.Invalid invalid(String name, String problem) {
    return new ConfigException.Invalid(field(name), field(name) + " " + problem);
  }
}
