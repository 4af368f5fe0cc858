package dev.herald.core.config.file;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML (or JSON) document read into a Jackson tree, remembering where each node starts: the key's
 * line and column for a map entry, the item's for a list item. Paths are dotted, list items
 * indexed: {@code rules.orders/big.targets[0].target}. Not thread-safe: one per read.
 */
final class YamlTree {
  private static final YAMLFactory FACTORY =
      YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** A place in the file, 1-based. */
  record Location(int line, int column) {
    static Location of(JsonLocation location) {
      return new Location(Math.max(location.getLineNr(), 0), Math.max(location.getColumnNr(), 0));
    }
  }

  /** A syntax error of the document. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    final Location location;

    SyntaxError(Location location, String message) {
      super(message);
      this.location = location;
    }
  }

  final JsonNode root;
  final Map<String, Location> locations;

  private YamlTree(JsonNode root, Map<String, Location> locations) {
    this.root = root;
    this.locations = locations;
  }

  static YamlTree parse(String text) throws SyntaxError {
    Map<String, Location> locations = new HashMap<>();
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new YamlTree(JsonNodeFactory.instance.objectNode(), locations);
      }
      JsonNode root = read(parser, "", locations);
      return new YamlTree(root, locations);
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
        throw new SyntaxError(
            new Location(
                marked.getProblemMark().getLine() + 1, marked.getProblemMark().getColumn() + 1),
            marked.getProblem());
      }
      String message = e.getOriginalMessage();
      int newline = message.indexOf('\n');
      message = (newline > 0 ? message.substring(0, newline) : message).strip();
      throw new SyntaxError(
          e.getLocation() == null ? new Location(0, 0) : Location.of(e.getLocation()), message);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a string
    }
  }

  private static JsonNode read(JsonParser p, String path, Map<String, Location> locations)
      throws IOException {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    locations.putIfAbsent(path, Location.of(p.currentTokenLocation()));
    JsonToken token = p.currentToken();
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = nodes.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = path.isEmpty() ? name : path + "." + name;
          locations.put(child, Location.of(p.currentTokenLocation()));
          p.nextToken();
          object.set(name, read(p, child, locations));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = nodes.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(p, path + "[" + i++ + "]", locations));
        }
        return array;
      }
      case VALUE_STRING -> {
        return nodes.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> nodes.numberNode(p.getIntValue());
          case LONG -> nodes.numberNode(p.getLongValue());
          default -> nodes.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return nodes.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return nodes.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return nodes.booleanNode(false);
      }
      case VALUE_NULL -> {
        return nodes.nullNode();
      }
      default -> {
        return nodes.textNode(p.getText());
      }
    }
  }
}
