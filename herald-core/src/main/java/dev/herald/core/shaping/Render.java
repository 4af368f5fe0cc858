package dev.herald.core.shaping;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * How a variable's value is written at a placeholder, by where the placeholder stands. An absent
 * value (the path matched nothing) is a missing node. Stateless and thread-safe.
 */
final class Render {
  private Render() {}

  /** Where a placeholder stands in its template. */
  enum Context {
    /** Outside quotes in a JSON template: the value as JSON; absent is {@code ""}. */
    JSON_VALUE,
    /** Inside a quoted string: the value's text, escaped for a JSON string; absent is nothing. */
    STRING_CONTENT,
    /** Outside quotes in a text template: the value's text, unescaped; absent is nothing. */
    TEXT
  }

  static void write(StringBuilder out, Context context, JsonNode value) {
    switch (context) {
      case JSON_VALUE -> out.append(value.isMissingNode() ? "\"\"" : JsonText.write(value));
      case STRING_CONTENT -> {
        if (!value.isMissingNode()) {
          out.append(JsonStringEncoder.getInstance().quoteAsString(stringForm(value)));
        }
      }
      case TEXT -> {
        if (!value.isMissingNode()) {
          out.append(value.isTextual() ? value.textValue() : JsonText.write(value));
        }
      }
    }
  }

  /**
   * A value as text inside a string: a string is its characters, a number, boolean or null its JSON
   * text, and an object or array its JSON without quotes ({@code {state:RUNNING,id:i-1}}), which is
   * what EventBridge documents: "If a JSON path references a JSON object or array, but the variable
   * is referenced in a string, EventBridge removes any internal quotes to ensure a valid string."
   */
  static String stringForm(JsonNode value) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (!value.isContainerNode()) {
      return JsonText.write(value);
    }
    StringBuilder out = new StringBuilder();
    appendUnquoted(out, value);
    return out.toString();
  }

  private static void appendUnquoted(StringBuilder out, JsonNode node) {
    if (node.isObject()) {
      out.append('{');
      Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        out.append(field.getKey()).append(':');
        appendUnquoted(out, field.getValue());
        out.append(fields.hasNext() ? "," : "");
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        out.append(i == 0 ? "" : ",");
        appendUnquoted(out, node.get(i));
      }
      out.append(']');
    } else {
      out.append(node.isTextual() ? node.textValue() : JsonText.write(node));
    }
  }
}
