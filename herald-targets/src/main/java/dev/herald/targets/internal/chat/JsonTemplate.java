package dev.herald.targets.internal.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.herald.core.json.Json;
import dev.herald.targets.internal.template.Templates;
import dev.herald.targets.internal.template.Templates.Escaping;
import dev.herald.targets.internal.template.Templates.RenderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A JSON value whose string leaves are plain-text {@link Templates} (chat {@code blocks}); keys,
 * numbers, booleans and nulls are kept as written. Each leaf is compiled when the target is built
 * and named by its path, e.g. {@code chat.blocks[0].text.text}.
 *
 * <p>Thread-safety: immutable.
 */
final class JsonTemplate {
  private sealed interface Node permits Fixed, Text, Obj, Arr {}

  private record Fixed(JsonNode value) implements Node {}

  private record Text(Templates.Template template) implements Node {}

  private record Obj(List<Map.Entry<String, Node>> fields) implements Node {}

  private record Arr(List<Node> elements) implements Node {}

  private final Node root;

  private JsonTemplate(Node root) {
    this.root = root;
  }

  /** Compiles every string in {@code value}; a syntax error names the leaf's path. */
  static JsonTemplate compile(JsonNode value, String field) {
    return new JsonTemplate(node(value, field));
  }

  private static Node node(JsonNode value, String path) {
    if (value.isTextual()) {
      return new Text(Templates.compile(value.asText(), path, Escaping.NONE));
    }
    if (value.isObject()) {
      List<Map.Entry<String, Node>> fields = new ArrayList<>();
      value
          .properties()
          .forEach(
              e -> fields.add(Map.entry(e.getKey(), node(e.getValue(), path + "." + e.getKey()))));
      return new Obj(List.copyOf(fields));
    }
    if (value.isArray()) {
      List<Node> elements = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        elements.add(node(value.get(i), path + "[" + i + "]"));
      }
      return new Arr(List.copyOf(elements));
    }
    return new Fixed(value.deepCopy());
  }

  /** The value with every template rendered over {@code scope}. */
  JsonNode render(Object scope) throws RenderException {
    return render(root, scope);
  }

  private static JsonNode render(Node node, Object scope) throws RenderException {
    return switch (node) {
      case Fixed f -> f.value().deepCopy();
      case Text t -> TextNode.valueOf(t.template().render(scope));
      case Obj o -> {
        ObjectNode object = Json.object();
        for (Map.Entry<String, Node> field : o.fields()) {
          object.set(field.getKey(), render(field.getValue(), scope));
        }
        yield object;
      }
      case Arr a -> {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Node element : a.elements()) {
          array.add(render(element, scope));
        }
        yield array;
      }
    };
  }
}
