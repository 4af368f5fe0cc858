package dev.herald.server.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.auth.Scope;
import dev.herald.core.config.BusSpecs;
import dev.herald.core.config.Page;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.config.RuleSpecs;
import dev.herald.core.event.EntryValidator;
import dev.herald.core.json.Json;
import dev.herald.core.pattern.RuleMatcher;
import dev.herald.server.config.ConfigService;
import dev.herald.store.Bus;
import dev.herald.store.ConfigStore;
import dev.herald.store.Stored;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * EventBridge's operations ({@code X-Amz-Target: AWSEvents.<Op>}) on Herald's buses and rules,
 * through the same {@link ConfigService} and parsers as the native API (so the same checks): an AWS
 * request is turned into the native body and parsed by {@link BusSpecs} or {@link RuleSpecs}.
 * Targets are {@link EventBridgeTargets}', events {@link EventBridgeEvents}'. Stateless;
 * thread-safe.
 */
public final class EventBridgeApi {
  private final ConfigService config;
  private final ConfigStore store;
  private final EventBridgeTargets targets;
  private final EventBridgeEvents events;
  private final Arns arns;

  public EventBridgeApi(
      ConfigService config,
      ConfigStore store,
      EventBridgeTargets targets,
      EventBridgeEvents events,
      Arns arns) {
    this.config = config;
    this.store = store;
    this.targets = targets;
    this.events = events;
    this.arns = arns;
  }

  ObjectNode handle(AwsCall call, dev.herald.server.limits.RateLimits limits) {
    return switch (call.operation()) {
      case "PutEvents" -> events.putEvents(call, limits);
      case "TestEventPattern" -> testEventPattern(call);
      case "CreateEventBus" -> createEventBus(call);
      case "ListEventBuses" -> listEventBuses(call);
      case "DescribeEventBus" -> describeEventBus(call);
      case "DeleteEventBus" -> deleteEventBus(call);
      case "PutRule" -> putRule(call);
      case "DescribeRule" -> describeRule(call);
      case "ListRules" -> listRules(call);
      case "DeleteRule" -> deleteRule(call);
      case "EnableRule" -> setState(call, true);
      case "DisableRule" -> setState(call, false);
      case "PutTargets" -> targets.putTargets(call, bus(call), rule(call, "Rule"));
      case "ListTargetsByRule" -> targets.listTargets(call, bus(call), rule(call, "Rule"));
      case "RemoveTargets" -> targets.removeTargets(call, bus(call), rule(call, "Rule"));
      default ->
          throw new AwsError(
              400,
              "UnknownOperationException",
              "unknown operation 'AWSEvents." + call.operation() + "'");
    };
  }

  private ObjectNode testEventPattern(AwsCall call) {
    call.require(Scope.READ);
    JsonNode pattern = json(call.required("EventPattern", AwsError::validation), true);
    JsonNode event = json(call.required("Event", AwsError::validation), false);
    if (!event.isObject()) {
      throw AwsError.validation("Event must be a JSON object (the event as EventBridge shows it)");
    }
    boolean matches = RuleMatcher.matches(RuleSpecs.compilePattern(pattern), event.toString());
    return Json.object().put("Result", matches);
  }

  private ObjectNode createEventBus(AwsCall call) {
    call.require(Scope.ADMIN);
    String name = call.required("Name", AwsError::validation);
    if (call.text("EventSourceName").isPresent()) {
      throw AwsError.validation("EventSourceName (partner event buses) is not supported by Herald");
    }
    if (store.bus(name).isPresent()) {
      throw new AwsError(
          400, "ResourceAlreadyExistsException", "Event bus " + name + " already exists.");
    }
    ObjectNode body = Json.object();
    call.text("Description").ifPresent(d -> body.put("description", d));
    Bus bus = config.putBus(BusSpecs.parse(name, body), OptionalLong.empty(), by(call));
    return Json.object().put("EventBusArn", arns.bus(bus.name()));
  }

  private ObjectNode listEventBuses(AwsCall call) {
    call.require(Scope.READ);
    String prefix = call.text("NamePrefix").orElse("");
    int limit = call.integer("Limit").orElse(Page.DEFAULT_LIMIT);
    Optional<String> after = call.text("NextToken").map(Page::nameAfter);
    ObjectNode answer = Json.object();
    ArrayNode list = answer.putArray("EventBuses");
    Optional<String> next;
    do {
      Page<Bus> page = store.listBuses(Math.clamp(limit, 1, Page.MAX_LIMIT), after);
      for (Bus bus : page.items()) {
        if (bus.name().startsWith(prefix)) {
          list.add(busJson(bus));
        }
      }
      next = page.next();
      after = next.map(Page::nameAfter);
    } while (list.isEmpty() && next.isPresent());
    next.ifPresent(n -> answer.put("NextToken", n));
    return answer;
  }

  private ObjectNode describeEventBus(AwsCall call) {
    call.require(Scope.READ);
    String name = arns.busName(call.text("Name").orElse(EntryValidator.DEFAULT_BUS));
    return busJson(store.bus(name).orElseThrow(() -> noBus(name)));
  }

  private ObjectNode busJson(Bus bus) {
    ObjectNode node = Json.object();
    node.put("Name", bus.name());
    node.put("Arn", arns.bus(bus.name()));
    node.put("Description", bus.description());
    node.put("CreationTime", bus.createdAt().toEpochMilli() / 1000.0);
    node.put("LastModifiedTime", bus.updatedAt().toEpochMilli() / 1000.0);
    return node;
  }

  private ObjectNode deleteEventBus(AwsCall call) {
    call.require(Scope.ADMIN);
    String name = call.required("Name", AwsError::validation);
    if (name.equals(EntryValidator.DEFAULT_BUS)) {
      throw AwsError.validation("Cannot delete event bus default.");
    }
    if (store.bus(name).isPresent()) { // deleting a bus that is gone succeeds, as on AWS
      config.deleteBus(name, OptionalLong.empty());
    }
    return Json.object();
  }

  private ObjectNode putRule(AwsCall call) {
    call.require(Scope.ADMIN);
    String bus = bus(call);
    String name = call.required("Name", AwsError::validation);
    if (call.text("ScheduleExpression").isPresent()) {
      throw AwsError.validation("ScheduleExpression (scheduled rules) is not supported by Herald");
    }
    String pattern =
        call.text("EventPattern")
            .orElseThrow(() -> AwsError.validation("EventPattern is required"));
    Optional<Stored<RuleSpec>> current = store.rule(bus, name);
    ObjectNode body = Json.object();
    body.set("pattern", json(pattern, true));
    body.put("enabled", !call.text("State").orElse("ENABLED").equals("DISABLED"));
    body.put(
        "description",
        call.text("Description").orElse(current.map(r -> r.spec().description()).orElse("")));
    body.set(
        "targets",
        json(
            RuleSpecs.targetsToJson(
                current.map(r -> r.spec().targets()).orElseGet(java.util.List::of)),
            false));
    RuleSpec spec = RuleSpecs.parse(bus, name, body);
    config.putRule(spec, OptionalLong.empty(), by(call));
    return Json.object().put("RuleArn", arns.rule(bus, name));
  }

  private ObjectNode describeRule(AwsCall call) {
    call.require(Scope.READ);
    String bus = bus(call);
    return ruleJson(requireRule(bus, rule(call, "Name")).spec());
  }

  private ObjectNode listRules(AwsCall call) {
    call.require(Scope.READ);
    String bus = bus(call);
    if (store.bus(bus).isEmpty()) {
      throw noBus(bus);
    }
    String prefix = call.text("NamePrefix").orElse("");
    int limit = call.integer("Limit").orElse(Page.DEFAULT_LIMIT);
    Optional<String> after = call.text("NextToken").map(Page::nameAfter);
    ObjectNode answer = Json.object();
    ArrayNode list = answer.putArray("Rules");
    Optional<String> next;
    do {
      Page<Stored<RuleSpec>> page =
          store.listRules(bus, Math.clamp(limit, 1, Page.MAX_LIMIT), after);
      for (Stored<RuleSpec> rule : page.items()) {
        if (rule.spec().name().startsWith(prefix)) {
          list.add(ruleJson(rule.spec()));
        }
      }
      next = page.next();
      after = next.map(Page::nameAfter);
    } while (list.isEmpty() && next.isPresent());
    next.ifPresent(n -> answer.put("NextToken", n));
    return answer;
  }

  private ObjectNode ruleJson(RuleSpec spec) {
    ObjectNode node = Json.object();
    node.put("Name", spec.name());
    node.put("Arn", arns.rule(spec.bus(), spec.name()));
    node.put("EventPattern", spec.pattern());
    node.put("State", spec.enabled() ? "ENABLED" : "DISABLED");
    node.put("Description", spec.description());
    node.put("EventBusName", spec.bus());
    return node;
  }

  private ObjectNode deleteRule(AwsCall call) {
    call.require(Scope.ADMIN);
    String bus = bus(call);
    String name = rule(call, "Name");
    Optional<Stored<RuleSpec>> rule = store.rule(bus, name);
    if (rule.isEmpty()) {
      return Json.object(); // deleting a rule that is gone succeeds, as on AWS
    }
    boolean force = call.body().path("Force").asBoolean(false);
    if (!rule.get().spec().targets().isEmpty() && !force) {
      throw AwsError.validation("Rule can't be deleted since it has targets.");
    }
    config.deleteRule(bus, name, OptionalLong.empty());
    return Json.object();
  }

  private ObjectNode setState(AwsCall call, boolean enabled) {
    call.require(Scope.ADMIN);
    String bus = bus(call);
    RuleSpec spec = requireRule(bus, rule(call, "Name")).spec();
    if (spec.enabled() != enabled) {
      config.putRule(
          new RuleSpec(
              spec.bus(), spec.name(), spec.pattern(), enabled, spec.description(), spec.targets()),
          OptionalLong.empty(),
          by(call));
    }
    return Json.object();
  }

  Stored<RuleSpec> requireRule(String bus, String name) {
    if (store.bus(bus).isEmpty()) {
      throw noBus(bus);
    }
    return store
        .rule(bus, name)
        .orElseThrow(
            () ->
                new AwsError(
                    400,
                    "ResourceNotFoundException",
                    "Rule " + name + " does not exist on EventBus " + bus + "."));
  }

  private String bus(AwsCall call) {
    return arns.busName(call.text("EventBusName").orElse(EntryValidator.DEFAULT_BUS));
  }

  private static String rule(AwsCall call, String member) {
    return call.required(member, AwsError::validation);
  }

  static AwsError noBus(String name) {
    return new AwsError(400, "ResourceNotFoundException", "Event bus " + name + " does not exist.");
  }

  static String by(AwsCall call) {
    return call.principal().name();
  }

  /** A JSON text member; a pattern that is not JSON is an InvalidEventPatternException. */
  private static JsonNode json(String text, boolean pattern) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw pattern
          ? new AwsError(400, "InvalidEventPatternException", "Event pattern is not valid JSON")
          : AwsError.validation("Event is not valid JSON");
    }
  }
}
