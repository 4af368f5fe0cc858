package dev.herald.core.shaping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.herald.core.shaping.TemplateScanner.Placeholder;
import dev.herald.core.shaping.TemplateScanner.Text;
import dev.herald.core.shaping.TemplateScanner.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks an {@link InputTransformer} and compiles it to a {@link Template}; every error names its
 * field. Stateless and thread-safe.
 */
final class TransformerCompiler {
  static final String PATHS = "inputTransformer.paths";
  static final String TEMPLATE = "inputTransformer.template";

  static final String RULE_NAME = "aws.events.rule-name";
  static final String INGESTION_TIME = "aws.events.event.ingestion-time";
  static final String EVENT = "aws.events.event";
  static final String EVENT_JSON = "aws.events.event.json";
  static final String RULE_ARN = "aws.events.rule-arn";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
  private static final String RESERVED_PREFIX = "aws.";

  private static final Map<String, Template.Source> PREDEFINED =
      Map.of(
          RULE_NAME, (envelope, rule, ingestedAt) -> TextNode.valueOf(rule),
          INGESTION_TIME, (envelope, rule, ingestedAt) -> TextNode.valueOf(ingestedAt.toString()),
          EVENT, (envelope, rule, ingestedAt) -> withoutDetail(envelope),
          EVENT_JSON, (envelope, rule, ingestedAt) -> envelope);

  private TransformerCompiler() {}

  static Template compile(InputTransformer transformer) {
    Map<String, JsonPath> paths = paths(transformer.paths());
    String template = transformer.template();
    checkLength(template);
    List<Token> tokens = TemplateScanner.scan(template);
    Map<String, Integer> variables = new LinkedHashMap<>();
    List<Template.Source> sources = new ArrayList<>();
    for (Token token : tokens) {
      if (token instanceof Placeholder p && !variables.containsKey(p.name())) {
        variables.put(p.name(), sources.size());
        sources.add(source(p, paths));
      }
    }
    tokens.forEach(TransformerCompiler::rejectWholeEventInString);
    boolean json = isJson(template, tokens);
    if (json) {
      rejectPlaceholderKeys(tokens);
    }
    List<Template.Part> parts = new ArrayList<>();
    for (Token token : tokens) {
      parts.add(
          switch (token) {
            case Text text -> new Template.Literal(text.text());
            case Placeholder p -> new Template.Slot(variables.get(p.name()), context(p, json));
          });
    }
    return new Template(json, parts, sources);
  }

  private static Map<String, JsonPath> paths(Map<String, String> paths) {
    if (paths.size() > InputTransformer.MAX_PATHS) {
      throw new InvalidShapeException(
          PATHS,
          PATHS
              + " defines "
              + paths.size()
              + " variables; at most "
              + InputTransformer.MAX_PATHS
              + " are allowed");
    }
    Map<String, JsonPath> compiled = new HashMap<>();
    for (Map.Entry<String, String> entry : paths.entrySet()) {
      String name = entry.getKey();
      String field = PATHS + "." + name;
      if (name == null || !NAME.matcher(name).matches()) {
        throw new InvalidShapeException(
            field,
            "variable name \""
                + name
                + "\" in "
                + PATHS
                + " must be 1 to 256 characters of A-Z, a-z, 0-9, '_', '.' or '-'");
      }
      if (name.regionMatches(true, 0, RESERVED_PREFIX, 0, RESERVED_PREFIX.length())) {
        throw new InvalidShapeException(
            field,
            "variable name \""
                + name
                + "\" in "
                + PATHS
                + " starts with the reserved prefix 'aws.' of predefined variables such as "
                + RULE_NAME);
      }
      if (entry.getValue() == null) {
        throw new InvalidShapeException(field, field + " must be a JSONPath, but it is missing");
      }
      compiled.put(name, JsonPath.compile(field, entry.getValue()));
    }
    return compiled;
  }

  private static void checkLength(String template) {
    if (template.isEmpty()) {
      throw new InvalidShapeException(TEMPLATE, TEMPLATE + " must not be empty");
    }
    if (template.length() > InputTransformer.MAX_TEMPLATE_LENGTH) {
      throw new InvalidShapeException(
          TEMPLATE,
          TEMPLATE
              + " is "
              + template.length()
              + " characters long; at most "
              + InputTransformer.MAX_TEMPLATE_LENGTH
              + " are allowed");
    }
  }

  private static Template.Source source(Placeholder p, Map<String, JsonPath> paths) {
    JsonPath path = paths.get(p.name());
    if (path != null) {
      return (envelope, rule, ingestedAt) -> path.read(envelope).orElse(MissingNode.getInstance());
    }
    Template.Source predefined = PREDEFINED.get(p.name());
    if (predefined != null) {
      return predefined;
    }
    String where = " at character " + (p.at() + 1);
    if (p.name().equals(RULE_ARN)) {
      throw new InvalidShapeException(
          TEMPLATE,
          TEMPLATE
              + " uses <"
              + RULE_ARN
              + ">"
              + where
              + ", which Herald does not provide (its rules have no ARN); use <"
              + RULE_NAME
              + ">");
    }
    throw new InvalidShapeException(
        TEMPLATE,
        TEMPLATE
            + " uses <"
            + p.name()
            + ">"
            + where
            + ", but "
            + p.name()
            + " is not defined in "
            + PATHS
            + " (defined: "
            + (paths.isEmpty() ? "none" : String.join(", ", new TreeSet<>(paths.keySet())))
            + "; predefined: "
            + String.join(", ", new TreeSet<>(PREDEFINED.keySet()))
            + ")");
  }

  /**
   * Whether the template is JSON: it is when it parses as one JSON value with every placeholder
   * filled by a sample string. A template that starts with '{' or '[' must be JSON; anything else
   * that does not parse is plain text.
   */
  private static boolean isJson(String template, List<Token> tokens) {
    StringBuilder sample = new StringBuilder(template.length());
    for (Token token : tokens) {
      switch (token) {
        case Text text -> sample.append(text.text());
        case Placeholder p -> sample.append(p.inString() ? "x" : "\"x\"");
      }
    }
    try {
      JsonText.parse(sample);
    } catch (JsonProcessingException e) {
      String trimmed = template.strip();
      if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        throw new InvalidShapeException(
            TEMPLATE,
            TEMPLATE
                + " starts with '"
                + trimmed.charAt(0)
                + "', so it must be JSON, but it is not valid JSON once its placeholders are"
                + " filled in: "
                + JsonText.problem(e));
      }
      return false;
    }
    return true;
  }

  /** EventBridge: "The placeholder cannot be used as an object key." */
  private static void rejectPlaceholderKeys(List<Token> tokens) {
    for (Token token : tokens) {
      if (token instanceof Placeholder p && p.key()) {
        throw new InvalidShapeException(
            TEMPLATE,
            TEMPLATE
                + " uses <"
                + p.name()
                + "> in an object key at character "
                + (p.at() + 1)
                + "; placeholders may only stand in values");
      }
    }
  }

  private static Render.Context context(Placeholder p, boolean json) {
    if (p.inString()) {
      return Render.Context.STRING_CONTENT;
    }
    return json ? Render.Context.JSON_VALUE : Render.Context.TEXT;
  }

  /**
   * EventBridge: the event variables "can only be used as the value of a JSON field, as [their]
   * contents are not escaped".
   */
  private static void rejectWholeEventInString(Token token) {
    if (token instanceof Placeholder p
        && p.inString()
        && (p.name().equals(EVENT) || p.name().equals(EVENT_JSON))) {
      throw new InvalidShapeException(
          TEMPLATE,
          TEMPLATE
              + " puts <"
              + p.name()
              + "> inside a quoted string at character "
              + (p.at() + 1)
              + "; it can only be a JSON value, outside quotes");
    }
  }

  private static ObjectNode withoutDetail(ObjectNode envelope) {
    ObjectNode copy = envelope.objectNode();
    copy.setAll(envelope);
    copy.remove("detail");
    return copy;
  }
}
