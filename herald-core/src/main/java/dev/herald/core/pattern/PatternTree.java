package dev.herald.core.pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a pattern's JSON text into a tree in canonical form (object keys sorted, number tokens kept
 * as written, so that no number changes its meaning), refusing duplicate keys and anything after
 * the closing brace, and writes the tree back as compact text. Also names places in a pattern as
 * paths like {@code detail.state[0].numeric}. Stateless.
 */
final class PatternTree {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern SOURCE =
      Pattern.compile("\\[Source: .*?; (line: \\d+, column: \\d+)\\]");

  private PatternTree() {}

  /** The pattern as a canonical tree, or an {@link InvalidPatternException} saying where not. */
  static ObjectNode parse(String text) {
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new InvalidPatternException("pattern is empty; it must be a JSON object", null);
      }
      if (first != JsonToken.START_OBJECT) {
        throw new InvalidPatternException(
            "pattern must be a JSON object, not " + describe(first), null);
      }
      ObjectNode root = readObject(parser, "");
      if (parser.nextToken() != null) {
        throw new InvalidPatternException(
            "unexpected content after the pattern's closing brace at " + where(parser), null);
      }
      return root;
    } catch (JsonProcessingException e) {
      String field =
          e.getProcessor() instanceof JsonParser parser ? pathOf(parser.getParsingContext()) : null;
      throw new InvalidPatternException(
          "pattern is not valid JSON: "
              + withoutSource(e.getOriginalMessage())
              + " (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")",
          field);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String does no I/O
    }
  }

  /** The compact text of a tree made by {@link #parse}. */
  static String write(JsonNode tree) {
    try {
      return Json.MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a pattern tree", e);
    }
  }

  /** The path of the value a parser is at: {@code detail.state[0]}; empty at the root. */
  static String pathOf(JsonStreamContext context) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray() && c.getCurrentIndex() >= 0) {
        parts.push("[" + c.getCurrentIndex() + "]");
      } else if (c.inObject() && c.getCurrentName() != null) {
        parts.push(c.getCurrentName());
      }
    }
    String path = "";
    for (String part : parts) {
      path = part.startsWith("[") ? path + part : child(path, part);
    }
    return path;
  }

  static String child(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  static String element(String parent, int index) {
    return parent + "[" + index + "]";
  }

  private static ObjectNode readObject(JsonParser parser, String path) throws IOException {
    Map<String, JsonNode> fields = new TreeMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      String fieldPath = child(path, name);
      if (fields.containsKey(name)) {
        throw new InvalidPatternException("field \"" + name + "\" appears twice", fieldPath);
      }
      fields.put(name, readValue(parser, parser.nextToken(), fieldPath));
    }
    ObjectNode node = NODES.objectNode();
    fields.forEach(node::set);
    return node;
  }

  private static ArrayNode readArray(JsonParser parser, String path) throws IOException {
    ArrayNode node = NODES.arrayNode();
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_ARRAY;
        token = parser.nextToken()) {
      node.add(readValue(parser, token, element(path, node.size())));
    }
    return node;
  }

  private static JsonNode readValue(JsonParser parser, JsonToken token, String path)
      throws IOException {
    return switch (token) {
      case START_OBJECT -> readObject(parser, path);
      case START_ARRAY -> readArray(parser, path);
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
          NODES.rawValueNode(new RawValue(parser.getText()));
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new IllegalStateException("unexpected token " + token + " at " + path);
    };
  }

  /** Jackson's message without the {@code [Source: ...]} part it adds to nested locations. */
  private static String withoutSource(String message) {
    return message == null ? "" : SOURCE.matcher(message).replaceAll("$1");
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.toString();
    };
  }

  private static String where(JsonParser parser) {
    return "line "
        + parser.currentTokenLocation().getLineNr()
        + ", column "
        + parser.currentTokenLocation().getColumnNr();
  }
}
