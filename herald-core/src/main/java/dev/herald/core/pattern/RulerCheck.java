package dev.herald.core.pattern;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;
import software.amazon.event.ruler.MachineComplexityEvaluator;

/**
 * Asks event-ruler whether a canonical pattern is valid and how complex it is, and turns its
 * answers into {@link InvalidPatternException}s that name the place in the pattern. Stateless.
 */
final class RulerCheck {
  private static final String UNKNOWN_OPERATOR = "Unrecognized match type ";
  private static final String OPERATORS =
      "anything-but, cidr, equals-ignore-case, exists, numeric, prefix, suffix, wildcard";

  private RulerCheck() {}

  /** The complexity of a valid canonical pattern alone, counted up to {@code cap} at most. */
  static int complexityOf(String canonicalJson, int cap) {
    try {
      return complexity(compile(canonicalJson), cap);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a valid pattern: " + canonicalJson, e);
    }
  }

  /** A machine holding just this pattern, built the way {@link RuleMatcher} builds its own. */
  static Machine machineWith(String canonicalJson, ObjectNode tree) {
    try {
      return compile(canonicalJson);
    } catch (JsonParseException e) {
      JsonParser parser = e.getProcessor();
      String field = parser != null ? PatternTree.pathOf(parser.getParsingContext()) : null;
      throw new InvalidPatternException(reason(e.getOriginalMessage()), field);
    } catch (IOException | RuntimeException e) {
      throw new InvalidPatternException(reason(e.getMessage()), blame(tree).orElse(null));
    }
  }

  /** The machine's complexity, counted up to {@code cap} at most (the count stops there). */
  static int complexity(Machine machine, int cap) {
    return machine.evaluateComplexity(new MachineComplexityEvaluator(cap));
  }

  /** The path of the field whose values alone make the most complex machine, and its complexity. */
  static Map.Entry<String, Integer> mostComplexField(ObjectNode tree, int cap) {
    String[] worst = {""};
    int[] most = {-1};
    forEachValueList(
        tree,
        "",
        (path, values) -> {
          try {
            int complexity = complexity(compile(single(values)), cap);
            if (complexity > most[0]) {
              most[0] = complexity;
              worst[0] = path;
            }
          } catch (IOException | RuntimeException e) {
            // a part that does not stand alone cannot be the most complex one
          }
        });
    return Map.entry(worst[0], Math.max(most[0], 0));
  }

  /**
   * The first place in the pattern that event-ruler refuses on its own, for failures that
   * event-ruler reports without a location (a malformed CIDR, for one).
   */
  private static Optional<String> blame(ObjectNode tree) {
    String[] found = {null};
    forEachValueList(
        tree,
        "",
        (path, values) -> {
          for (int i = 0; i < values.size() && found[0] == null; i++) {
            JsonNode value = values.get(i);
            if (!accepted(single(value))) {
              String at = PatternTree.element(path, i);
              found[0] = value.isObject() && value.size() == 1 ? at + "." + firstName(value) : at;
            }
          }
        });
    return Optional.ofNullable(found[0]);
  }

  /** Calls {@code action} with the path and the value list of every field that lists values. */
  private static void forEachValueList(
      ObjectNode object, String path, BiConsumer<String, ArrayNode> action) {
    object
        .properties()
        .forEach(
            field -> {
              String fieldPath = PatternTree.child(path, field.getKey());
              JsonNode value = field.getValue();
              if (value.isObject()) {
                forEachValueList((ObjectNode) value, fieldPath, action);
              } else if (value.isArray() && allObjects(value) && field.getKey().equals("$or")) {
                for (int i = 0; i < value.size(); i++) {
                  forEachValueList(
                      (ObjectNode) value.get(i), PatternTree.element(fieldPath, i), action);
                }
              } else if (value.isArray()) {
                action.accept(fieldPath, (ArrayNode) value);
              }
            });
  }

  private static Machine compile(String pattern) throws IOException {
    JsonRuleCompiler.compile(pattern);
    Machine machine = Machines.newMachine();
    machine.addRule("pattern", pattern);
    return machine;
  }

  private static boolean accepted(String pattern) {
    try {
      compile(pattern);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** A one-field pattern with these values ({@code [..]}) or this one value. */
  private static String single(JsonNode values) {
    ArrayNode list =
        values.isArray() ? (ArrayNode) values : JsonNodeFactory.instance.arrayNode().add(values);
    return "{\"f\":" + PatternTree.write(list) + "}";
  }

  private static boolean allObjects(JsonNode array) {
    for (JsonNode element : array) {
      if (!element.isObject()) {
        return false;
      }
    }
    return true;
  }

  private static String firstName(JsonNode object) {
    return object.fieldNames().next();
  }

  private static String reason(String message) {
    if (message == null || message.isBlank()) {
      return "event-ruler rejects the pattern";
    }
    if (message.startsWith(UNKNOWN_OPERATOR)) {
      String operator = message.substring(UNKNOWN_OPERATOR.length()).trim();
      return "unknown operator \"" + operator + "\"; the operators are " + OPERATORS;
    }
    return message;
  }
}
