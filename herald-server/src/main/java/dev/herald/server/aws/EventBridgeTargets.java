package dev.herald.server.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.auth.Scope;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.config.RuleSpecs;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.json.Json;
import dev.herald.server.config.ConfigService;
import dev.herald.store.ConfigStore;
import dev.herald.store.Stored;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * PutTargets, ListTargetsByRule and RemoveTargets on a rule's Herald targets. A target's ARN names
 * the Herald target ({@link Arns}): an SQS queue ARN the {@code queue} target of that name (created
 * when missing), an API destination ARN the {@code webhook} target of its name, a {@code
 * herald-target} ARN any target. Herald names a rule's targets by the Herald target's name, so
 * ListTargetsByRule answers that name as the target's {@code Id} and RemoveTargets takes it. A
 * target's {@code RetryPolicy} is applied to the Herald target (retry is per target in Herald).
 * Stateless; thread-safe.
 */
public final class EventBridgeTargets {
  private final ConfigService config;
  private final ConfigStore store;
  private final Arns arns;

  public EventBridgeTargets(ConfigService config, ConfigStore store, Arns arns) {
    this.config = config;
    this.store = store;
    this.arns = arns;
  }

  ObjectNode putTargets(AwsCall call, String bus, String ruleName) {
    call.require(Scope.ADMIN);
    RuleSpec rule = requireRule(bus, ruleName);
    List<ObjectNode> entries = call.objects("Targets");
    if (entries.isEmpty()) {
      throw AwsError.validation("Targets must hold at least one target");
    }
    ArrayNode failed = Json.MAPPER.createArrayNode();
    List<JsonNode> added = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (ObjectNode entry : entries) {
      String id = entry.path("Id").asText("");
      try {
        String name = resolve(entry.path("Arn").asText(""), call);
        if (entry.get("RetryPolicy") instanceof ObjectNode retry) {
          applyRetry(name, retry, call);
        }
        added.add(ruleTarget(name, entry));
        names.add(name);
      } catch (AwsError e) {
        failed
            .addObject()
            .put("TargetId", id)
            .put("ErrorCode", e.code())
            .put("ErrorMessage", e.getMessage());
      } catch (ConfigException e) {
        failed
            .addObject()
            .put("TargetId", id)
            .put("ErrorCode", "ValidationException")
            .put("ErrorMessage", e.getMessage());
      }
    }
    if (!added.isEmpty()) {
      ArrayNode targets = Json.MAPPER.createArrayNode();
      for (RuleSpec.RuleTarget t : rule.targets()) {
        if (!names.contains(t.target())) {
          targets.add(tree(RuleSpecs.targetsToJson(List.of(t))).get(0));
        }
      }
      added.forEach(targets::add);
      store(rule, targets, call);
    }
    ObjectNode answer = Json.object();
    answer.put("FailedEntryCount", failed.size());
    answer.set("FailedEntries", failed);
    return answer;
  }

  ObjectNode listTargets(AwsCall call, String bus, String ruleName) {
    call.require(Scope.READ);
    RuleSpec rule = requireRule(bus, ruleName);
    ObjectNode answer = Json.object();
    ArrayNode list = answer.putArray("Targets");
    for (RuleSpec.RuleTarget t : rule.targets()) {
      ObjectNode node = list.addObject();
      node.put("Id", t.target());
      Optional<TargetSpec> spec = store.target(t.target()).map(Stored::spec);
      node.put("Arn", arnOf(t.target(), spec));
      t.input().ifPresent(i -> node.put("Input", i));
      t.inputPath().ifPresent(p -> node.put("InputPath", p));
      t.inputTransformer()
          .ifPresent(
              x -> {
                ObjectNode transformer = node.putObject("InputTransformer");
                ObjectNode paths = transformer.putObject("InputPathsMap");
                x.paths().forEach(paths::put);
                transformer.put("InputTemplate", x.template());
              });
      spec.ifPresent(
          s ->
              node.putObject("RetryPolicy")
                  .put("MaximumRetryAttempts", s.retry().maxAttempts() - 1)
                  .put("MaximumEventAgeInSeconds", s.retry().maxEventAgeSeconds()));
    }
    return answer;
  }

  ObjectNode removeTargets(AwsCall call, String bus, String ruleName) {
    call.require(Scope.ADMIN);
    RuleSpec rule = requireRule(bus, ruleName);
    List<String> ids = call.strings("Ids");
    if (ids.isEmpty()) {
      throw AwsError.validation("Ids must hold at least one target id");
    }
    ArrayNode failed = Json.MAPPER.createArrayNode();
    for (String id : ids) {
      if (!rule.targetNames().contains(id)) {
        failed
            .addObject()
            .put("TargetId", id)
            .put("ErrorCode", "ResourceNotFoundException")
            .put(
                "ErrorMessage",
                "rule "
                    + ruleName
                    + " has no target '"
                    + id
                    + "' (Herald names a rule's targets by the Herald target's name, as"
                    + " ListTargetsByRule shows)");
      }
    }
    ArrayNode targets = Json.MAPPER.createArrayNode();
    for (RuleSpec.RuleTarget t : rule.targets()) {
      if (!ids.contains(t.target())) {
        targets.add(tree(RuleSpecs.targetsToJson(List.of(t))).get(0));
      }
    }
    if (targets.size() != rule.targets().size()) {
      store(rule, targets, call);
    }
    ObjectNode answer = Json.object();
    answer.put("FailedEntryCount", failed.size());
    answer.set("FailedEntries", failed);
    return answer;
  }

  private void store(RuleSpec rule, ArrayNode targets, AwsCall call) {
    ObjectNode body = Json.object();
    body.set("pattern", tree(rule.pattern()));
    body.put("enabled", rule.enabled());
    body.put("description", rule.description());
    body.set("targets", targets);
    config.putRule(
        RuleSpecs.parse(rule.bus(), rule.name(), body),
        OptionalLong.empty(),
        EventBridgeApi.by(call));
  }

  /** The Herald target an ARN names, a queue target created when missing. */
  private String resolve(String arn, AwsCall call) {
    Arns.Named named =
        Arns.parse(arn)
            .orElseThrow(
                () ->
                    AwsError.validation(
                        "Herald delivers to SQS queue ARNs (queue targets), API destination ARNs"
                            + " (webhook targets) and herald-target ARNs, got '"
                            + arn
                            + "'"));
    return switch (named) {
      case Arns.Queue queue -> {
        Optional<TargetSpec> spec = store.target(queue.name()).map(Stored::spec);
        if (spec.isEmpty()) {
          config.putTarget(
              TargetSpecs.parse(queue.name(), Json.object().put("type", "queue")),
              OptionalLong.empty(),
              EventBridgeApi.by(call));
        } else if (!spec.get().type().equals("queue")) {
          throw AwsError.validation(
              "target '"
                  + queue.name()
                  + "' exists and is a "
                  + spec.get().type()
                  + ", not a queue");
        }
        yield queue.name();
      }
      case Arns.ApiDestination destination -> existing(destination.name(), Optional.of("webhook"));
      case Arns.HeraldTarget target -> existing(target.name(), Optional.empty());
    };
  }

  private String existing(String name, Optional<String> type) {
    TargetSpec spec =
        store
            .target(name)
            .map(Stored::spec)
            .orElseThrow(
                () ->
                    new AwsError(
                        400,
                        "ResourceNotFoundException",
                        "no Herald target '"
                            + name
                            + "': create it first (PUT /v1/targets/"
                            + name
                            + ")"));
    if (type.isPresent() && !spec.type().equals(type.get())) {
      throw AwsError.validation(
          "target '" + name + "' is a " + spec.type() + ", not a " + type.get());
    }
    return name;
  }

  /** Applies a rule-target's RetryPolicy to its Herald target. */
  private void applyRetry(String name, ObjectNode policy, AwsCall call) {
    Stored<TargetSpec> current = store.target(name).orElseThrow();
    ObjectNode body = TargetSpecs.toJson(current.spec(), current.version());
    ObjectNode retry = body.get("retry") instanceof ObjectNode r ? r : body.putObject("retry");
    if (policy.has("MaximumRetryAttempts")) {
      retry.put("maxAttempts", policy.path("MaximumRetryAttempts").asLong() + 1);
    }
    if (policy.has("MaximumEventAgeInSeconds")) {
      retry.put("maxEventAgeSeconds", policy.path("MaximumEventAgeInSeconds").asLong());
    }
    config.putTarget(
        TargetSpecs.parse(name, body), OptionalLong.of(current.version()), EventBridgeApi.by(call));
  }

  /** The native rule target of an AWS target: its input shaping. */
  private static JsonNode ruleTarget(String name, ObjectNode entry) {
    ObjectNode target = Json.object().put("target", name);
    if (entry.hasNonNull("Input")) {
      try {
        target.set("input", Json.MAPPER.readTree(entry.path("Input").asText()));
      } catch (IOException e) {
        throw AwsError.validation("Input must be valid JSON text");
      }
    }
    if (entry.hasNonNull("InputPath")) {
      target.put("inputPath", entry.path("InputPath").asText());
    }
    if (entry.get("InputTransformer") instanceof ObjectNode x) {
      ObjectNode transformer = target.putObject("inputTransformer");
      transformer.set(
          "paths",
          x.get("InputPathsMap") instanceof ObjectNode paths ? paths.deepCopy() : Json.object());
      transformer.put("template", x.path("InputTemplate").asText(""));
    }
    return target;
  }

  private String arnOf(String name, Optional<TargetSpec> spec) {
    String type = spec.map(TargetSpec::type).orElse("");
    return switch (type) {
      case "queue" -> arns.queue(name);
      case "webhook" -> arns.apiDestination(name);
      default -> arns.heraldTarget(name);
    };
  }

  private RuleSpec requireRule(String bus, String name) {
    if (store.bus(bus).isEmpty()) {
      throw EventBridgeApi.noBus(bus);
    }
    return store
        .rule(bus, name)
        .map(Stored::spec)
        .orElseThrow(
            () ->
                new AwsError(
                    400,
                    "ResourceNotFoundException",
                    "Rule " + name + " does not exist on EventBus " + bus + "."));
  }

  private static JsonNode tree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
