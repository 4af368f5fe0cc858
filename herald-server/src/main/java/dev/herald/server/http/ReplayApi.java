package dev.herald.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.Body;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import dev.herald.core.json.Json;
import dev.herald.server.auth.Principal;
import dev.herald.server.replay.Replays;
import dev.herald.store.Replay;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Replays of a bus's archive (API.md "Dead letters and replay"): start, get, list, cancel.
 * Stateless; thread-safe.
 */
public final class ReplayApi {
  private static final int MAX_RULES = 100;

  private final Replays replays;

  public ReplayApi(Replays replays) {
    this.replays = replays;
  }

  public void register(HttpRouting.Builder routing) {
    routing.post("/v1/buses/{bus}/replays", this::start);
    routing.get("/v1/buses/{bus}/replays", this::list);
    routing.get("/v1/buses/{bus}/replays/{name}", this::get);
    routing.delete("/v1/buses/{bus}/replays/{name}", this::cancel);
  }

  private void start(ServerRequest req, ServerResponse res) {
    String bus = param(req, "bus");
    Http.requireJson(req);
    Body body = Body.of(Http.parse(Http.readBody(req, 64 * 1024)), "");
    String name = body.requiredText("name", 200);
    Instant from = time(body, "from");
    Instant to = time(body, "to");
    List<String> rules = rules(body.node("rules"));
    body.finish();
    Replay replay =
        replays.start(new Replays.Request(bus, name, from, to, rules, Principal.of(req).name()));
    res.header("Location", "/v1/buses/" + bus + "/replays/" + name);
    Http.send(res, 201, json(replay));
  }

  private void get(ServerRequest req, ServerResponse res) {
    Http.send(res, 200, json(replays.get(param(req, "bus"), param(req, "name"))));
  }

  private void list(ServerRequest req, ServerResponse res) {
    String bus = param(req, "bus");
    int limit = Page.limit(req.query().first("limit").asOptional());
    Optional<String> after = req.query().first("after").asOptional().map(Page::nameAfter);
    Page<Replay> page = replays.list(bus, limit, after);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("replays");
    page.items().forEach(r -> items.add(json(r)));
    if (page.next().isPresent()) {
      body.put("next", page.next().get());
    } else {
      body.putNull("next");
    }
    Http.send(res, 200, body);
  }

  private void cancel(ServerRequest req, ServerResponse res) {
    Replay replay = replays.cancel(param(req, "bus"), param(req, "name"), Principal.of(req).name());
    Http.send(res, 200, json(replay));
  }

  private static Instant time(Body body, String name) {
    String text = body.requiredText(name, 64);
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new ConfigException.Invalid(
          body.field(name),
          name + " must be an RFC 3339 time such as 2026-12-07T10:00:00Z, got '" + text + "'");
    }
  }

  private static List<String> rules(Optional<JsonNode> node) {
    List<String> rules = new ArrayList<>();
    if (node.isEmpty()) {
      return rules;
    }
    if (!node.get().isArray() || node.get().size() > MAX_RULES) {
      throw new ConfigException.Invalid(
          "rules", "rules must be an array of at most " + MAX_RULES + " rule names");
    }
    for (int i = 0; i < node.get().size(); i++) {
      JsonNode rule = node.get().get(i);
      if (!rule.isTextual()) {
        throw new ConfigException.Invalid(
            "rules[" + i + "]", "rules[" + i + "] must be a rule name, got " + rule);
      }
      rules.add(rule.asText());
    }
    return rules;
  }

  /** A replay as the API shows it. */
  static ObjectNode json(Replay r) {
    ObjectNode node = Json.object();
    node.put("name", r.name());
    node.put("bus", r.bus());
    node.put("state", r.state());
    node.put("from", r.from().toString());
    node.put("to", r.to().toString());
    ArrayNode rules = node.putArray("rules");
    r.rules().forEach(rules::add);
    node.put("eventsReplayed", r.eventsReplayed());
    // the total is an upper bound while running (records between the window's offsets); exact once
    // completed
    node.put(
        "eventsTotal", r.state().equals(Replay.COMPLETED) ? r.eventsReplayed() : r.eventsTotal());
    node.put("lastReplayedTime", r.lastReplayedTime().map(Instant::toString).orElse(null));
    ArrayNode lanes = node.putArray("lanes");
    new TreeMap<>(r.lanes())
        .forEach(
            (target, at) ->
                lanes.addObject().put("target", target).put("recordsBehind", behind(at, r)));
    node.put("error", r.error().orElse(null));
    node.put("createdAt", r.createdAt().toString());
    node.put("updatedAt", r.updatedAt().toString());
    node.put("finishedAt", r.finishedAt().map(Instant::toString).orElse(null));
    node.put("changedBy", r.changedBy().orElse(null));
    return node;
  }

  /**
   * How many bus records a lane (a target held back by its backlog) has still to read before it is
   * where the replay reads for every other target: an upper bound of the events it still gets.
   */
  private static long behind(Map<Integer, Long> lane, Replay r) {
    long behind = 0;
    for (Map.Entry<Integer, Long> at : lane.entrySet()) {
      behind += Math.max(0, r.positions().getOrDefault(at.getKey(), at.getValue()) - at.getValue());
    }
    return behind;
  }

  private static String param(ServerRequest req, String name) {
    return req.path().pathParameters().get(name);
  }
}
