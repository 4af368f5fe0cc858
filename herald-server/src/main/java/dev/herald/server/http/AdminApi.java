package dev.herald.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.Body;
import dev.herald.core.config.BusSpecs;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.config.RuleSpecs;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.json.Json;
import dev.herald.core.pattern.RuleMatcher;
import dev.herald.server.auth.Principal;
import dev.herald.server.config.ConfigService;
import dev.herald.store.Bus;
import dev.herald.store.ConfigStore;
import dev.herald.store.Stored;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The admin API of buses, rules and targets, and {@code POST /v1/test-pattern}. PUT is an
 * idempotent upsert answering the stored object; {@code If-Match} updates only that version.
 * Stateless; thread-safe.
 */
public final class AdminApi {
  private static final long MAX_BODY_BYTES = 1024 * 1024;

  private final ConfigService config;
  private final ConfigStore store;
  private final Function<String, Optional<ObjectNode>> liveState;

  /**
   * @param liveState a target's live delivery state on this instance (circuit, limits), if running
   */
  public AdminApi(
      ConfigService config, ConfigStore store, Function<String, Optional<ObjectNode>> liveState) {
    this.config = config;
    this.store = store;
    this.liveState = liveState;
  }

  public void register(HttpRouting.Builder routing) {
    routing.put("/v1/buses/{bus}", this::putBus);
    routing.get("/v1/buses", (req, res) -> list(req, res, store::listBuses, AdminApi::busJson));
    routing.get("/v1/buses/{bus}", this::getBus);
    routing.delete(
        "/v1/buses/{bus}",
        (req, res) -> {
          config.deleteBus(param(req, "bus"), ifMatch(req));
          res.status(204).send();
        });
    routing.put("/v1/buses/{bus}/rules/{rule}", this::putRule);
    routing.get("/v1/buses/{bus}/rules", this::listRules);
    routing.get("/v1/buses/{bus}/rules/{rule}", this::getRule);
    routing.delete(
        "/v1/buses/{bus}/rules/{rule}",
        (req, res) -> {
          config.deleteRule(param(req, "bus"), param(req, "rule"), ifMatch(req));
          res.status(204).send();
        });
    routing.put("/v1/targets/{target}", this::putTarget);
    routing.get(
        "/v1/targets", (req, res) -> list(req, res, store::listTargets, AdminApi::targetJson));
    routing.get("/v1/targets/{target}", this::getTarget);
    routing.delete(
        "/v1/targets/{target}",
        (req, res) -> {
          config.deleteTarget(param(req, "target"), ifMatch(req));
          res.status(204).send();
        });
    routing.post(
        "/v1/targets/{target}/resume",
        (req, res) -> {
          var stored = config.resumeTarget(param(req, "target"), by(req));
          Http.send(res, 200, targetJson(stored));
        });
    routing.post("/v1/test-pattern", this::testPattern);
  }

  private void putBus(ServerRequest req, ServerResponse res) {
    Bus bus = config.putBus(BusSpecs.parse(param(req, "bus"), body(req)), ifMatch(req), by(req));
    Http.send(res, 200, busJson(bus));
  }

  private void getBus(ServerRequest req, ServerResponse res) {
    String name = param(req, "bus");
    Bus bus = store.bus(name).orElseThrow(() -> busNotFound(name));
    Http.send(res, 200, busJson(bus));
  }

  private void putRule(ServerRequest req, ServerResponse res) {
    var spec = RuleSpecs.parse(param(req, "bus"), param(req, "rule"), body(req));
    var stored = config.putRule(spec, ifMatch(req), by(req));
    Http.send(res, 200, ruleJson(stored));
  }

  private void getRule(ServerRequest req, ServerResponse res) {
    String bus = param(req, "bus");
    String name = param(req, "rule");
    var rule =
        store
            .rule(bus, name)
            .orElseThrow(
                () ->
                    new ConfigException.NotFound(
                        "RuleNotFound", "bus '" + bus + "' has no rule '" + name + "'"));
    Http.send(res, 200, ruleJson(rule));
  }

  private void listRules(ServerRequest req, ServerResponse res) {
    String bus = param(req, "bus");
    if (store.bus(bus).isEmpty()) {
      throw busNotFound(bus);
    }
    list(req, res, (limit, after) -> store.listRules(bus, limit, after), AdminApi::ruleJson);
  }

  private void putTarget(ServerRequest req, ServerResponse res) {
    var stored =
        config.putTarget(TargetSpecs.parse(param(req, "target"), body(req)), ifMatch(req), by(req));
    Http.send(res, 200, targetJson(stored));
  }

  private void getTarget(ServerRequest req, ServerResponse res) {
    String name = param(req, "target");
    var target =
        store
            .target(name)
            .orElseThrow(
                () ->
                    new ConfigException.NotFound(
                        "TargetNotFound", "target '" + name + "' does not exist"));
    ObjectNode body = targetJson(target);
    liveState.apply(name).ifPresent(state -> body.set("state", state));
    Http.send(res, 200, body);
  }

  private void testPattern(ServerRequest req, ServerResponse res) {
    Body body = Body.of(body(req), "");
    JsonNode pattern =
        body.node("pattern").orElseThrow(() -> body.invalid("pattern", "is required"));
    JsonNode event = body.node("event").orElseThrow(() -> body.invalid("event", "is required"));
    body.finish();
    if (!event.isObject()) {
      throw new ConfigException.Invalid(
          "event", "event must be a JSON object (the delivered envelope)");
    }
    ObjectNode answer = Json.object();
    answer.put("matches", RuleMatcher.matches(RuleSpecs.compilePattern(pattern), event.toString()));
    Http.send(res, 200, answer);
  }

  private static <T> void list(
      ServerRequest req, ServerResponse res, PageSource<T> source, Function<T, ObjectNode> render) {
    int limit = Page.limit(req.query().first("limit").asOptional());
    Optional<String> after = req.query().first("after").asOptional().map(Page::nameAfter);
    Page<T> page = source.page(limit, after);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    page.items().forEach(item -> items.add(render.apply(item)));
    if (page.next().isPresent()) {
      body.put("next", page.next().get());
    } else {
      body.putNull("next");
    }
    Http.send(res, 200, body);
  }

  /** One page of a list. */
  @FunctionalInterface
  private interface PageSource<T> {
    Page<T> page(int limit, Optional<String> after);
  }

  static ObjectNode busJson(Bus bus) {
    ObjectNode node = Json.object();
    node.put("name", bus.name());
    node.put("description", bus.description());
    node.put("archiveRetentionDays", bus.archiveRetentionDays());
    node.put("version", bus.version());
    node.put("createdAt", bus.createdAt().toString());
    node.put("updatedAt", bus.updatedAt().toString());
    node.put("changedBy", bus.changedBy().orElse(null));
    return node;
  }

  private static ObjectNode ruleJson(Stored<RuleSpec> rule) {
    ObjectNode node = RuleSpecs.toJson(rule.spec(), rule.version());
    node.put("changedBy", rule.changedBy().orElse(null));
    return node;
  }

  private static ObjectNode targetJson(Stored<TargetSpec> target) {
    ObjectNode node = TargetSpecs.toJson(target.spec(), target.version());
    node.put("changedBy", target.changedBy().orElse(null));
    return node;
  }

  /** Who makes the change: the request's key id, or {@code "anonymous"} while auth is off. */
  private static String by(ServerRequest req) {
    return Principal.of(req).name();
  }

  private static ConfigException.NotFound busNotFound(String name) {
    return new ConfigException.NotFound("BusNotFound", "bus '" + name + "' does not exist");
  }

  private static JsonNode body(ServerRequest req) {
    Http.requireJson(req);
    return Http.parse(Http.readBody(req, MAX_BODY_BYTES));
  }

  private static String param(ServerRequest req, String name) {
    return req.path().pathParameters().get(name);
  }

  /** The version of {@code If-Match} ({@code 3}, {@code "3"} or {@code W/"3"}), if sent. */
  static OptionalLong ifMatch(ServerRequest req) {
    Optional<String> header =
        req.headers()
            .first(HeaderNames.IF_MATCH)
            .map(v -> v.trim().replaceFirst("^W/", "").replace("\"", ""));
    if (header.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(header.get()));
    } catch (NumberFormatException e) {
      throw new ConfigException.Invalid(
          "If-Match",
          "If-Match must be the object's version, a whole number, got '" + header.get() + "'");
    }
  }
}
