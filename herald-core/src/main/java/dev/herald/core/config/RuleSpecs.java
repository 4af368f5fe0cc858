package dev.herald.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.json.Json;
import dev.herald.core.pattern.CompiledPattern;
import dev.herald.core.pattern.InvalidPatternException;
import dev.herald.core.pattern.PatternCompiler;
import dev.herald.core.shaping.InputShape;
import dev.herald.core.shaping.InputTransformer;
import dev.herald.core.shaping.InvalidShapeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Parses, checks and renders the rule body of {@code PUT /v1/buses/{bus}/rules/{rule}}. */
public final class RuleSpecs {
  /** Targets per rule (EventBridge allows 5). */
  public static final int MAX_TARGETS = 10;

  private RuleSpecs() {}

  public static RuleSpec parse(String bus, String name, JsonNode json) {
    TargetSpecs.requireName(name);
    Body body = Body.of(json, "");
    JsonNode pattern =
        body.node("pattern").orElseThrow(() -> body.invalid("pattern", "is required"));
    String canonical = compilePattern(pattern).json();
    boolean enabled = body.bool("enabled", true);
    String description = body.text("description", 512).orElse("");
    List<RuleSpec.RuleTarget> targets = targets(body.node("targets"));
    body.node("version");
    body.node("name");
    body.node("bus");
    body.node("changedBy"); // echoed back from a GET: recorded by the server, ignored here
    body.finish();
    return new RuleSpec(bus, name, canonical, enabled, description, targets);
  }

  /** Checks and compiles an EventBridge pattern, or answers 400 InvalidPattern saying where. */
  public static CompiledPattern compilePattern(JsonNode pattern) {
    if (!pattern.isObject()) {
      throw new ConfigException.Invalid(
          "InvalidPattern", "pattern", "pattern must be a JSON object");
    }
    try {
      return PatternCompiler.compile(pattern.toString());
    } catch (InvalidPatternException e) {
      throw new ConfigException.Invalid("InvalidPattern", "pattern", e.getMessage());
    }
  }

  private static List<RuleSpec.RuleTarget> targets(Optional<JsonNode> node) {
    if (node.isEmpty()) {
      return List.of();
    }
    if (!node.get().isArray() || node.get().size() > MAX_TARGETS) {
      throw new ConfigException.Invalid(
          "targets", "targets must be an array of at most " + MAX_TARGETS + " targets");
    }
    List<RuleSpec.RuleTarget> targets = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < node.get().size(); i++) {
      RuleSpec.RuleTarget target = target(node.get().get(i), "targets[" + i + "]");
      if (!seen.add(target.target())) {
        throw new ConfigException.Invalid(
            "targets[" + i + "].target", "target '" + target.target() + "' is listed twice");
      }
      targets.add(target);
    }
    return targets;
  }

  private static RuleSpec.RuleTarget target(JsonNode json, String path) {
    Body body = Body.of(json, path);
    String target = body.requiredText("target", 64);
    TargetSpecs.requireName(target);
    Optional<String> input = body.node("input").map(JsonNode::toString);
    Optional<String> inputPath = body.text("inputPath", 256);
    Optional<InputTransformer> transformer =
        body.object("inputTransformer").map(RuleSpecs::transformer);
    body.finish();
    try {
      InputShape.compile(input, inputPath, transformer);
    } catch (InvalidShapeException e) {
      throw new ConfigException.Invalid("InvalidInput", path + "." + e.field(), e.getMessage());
    }
    return new RuleSpec.RuleTarget(target, input, inputPath, transformer);
  }

  private static InputTransformer transformer(Body body) {
    Map<String, String> paths = body.object("paths").map(p -> p.textMap(256)).orElse(Map.of());
    String template = body.requiredText("template", 8192);
    body.finish();
    return new InputTransformer(paths, template);
  }

  /** The targets of a rule as stored (no checks: they were checked when the rule was stored). */
  public static String targetsToJson(List<RuleSpec.RuleTarget> targets) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    targets.forEach(t -> array.add(targetJson(t)));
    return array.toString();
  }

  public static List<RuleSpec.RuleTarget> targetsFromJson(String json) {
    List<RuleSpec.RuleTarget> targets = new ArrayList<>();
    for (JsonNode t : parse(json)) {
      Optional<InputTransformer> transformer =
          Optional.ofNullable(t.get("inputTransformer"))
              .map(
                  x -> {
                    Map<String, String> paths = new java.util.LinkedHashMap<>();
                    x.path("paths")
                        .fields()
                        .forEachRemaining(e -> paths.put(e.getKey(), e.getValue().asText()));
                    return new InputTransformer(paths, x.path("template").asText());
                  });
      targets.add(
          new RuleSpec.RuleTarget(
              t.path("target").asText(),
              Optional.ofNullable(t.get("input")).map(JsonNode::toString),
              Optional.ofNullable(t.get("inputPath")).map(JsonNode::asText),
              transformer));
    }
    return targets;
  }

  private static ObjectNode targetJson(RuleSpec.RuleTarget t) {
    ObjectNode target = Json.object().put("target", t.target());
    t.input().ifPresent(i -> target.set("input", parse(i)));
    t.inputPath().ifPresent(p -> target.put("inputPath", p));
    t.inputTransformer()
        .ifPresent(
            x -> {
              ObjectNode transformer = target.putObject("inputTransformer");
              ObjectNode paths = transformer.putObject("paths");
              x.paths().forEach(paths::put);
              transformer.put("template", x.template());
            });
    return target;
  }

  /** The API's JSON of a rule. */
  public static ObjectNode toJson(RuleSpec spec, long version) {
    ObjectNode node = Json.object();
    node.put("name", spec.name());
    node.put("bus", spec.bus());
    node.set("pattern", parse(spec.pattern()));
    node.put("enabled", spec.enabled());
    node.put("description", spec.description());
    ArrayNode targets = node.putArray("targets");
    spec.targets().forEach(t -> targets.add(targetJson(t)));
    node.put("version", version);
    return node;
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
