package dev.herald.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.Body;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import dev.herald.core.json.Json;
import dev.herald.server.delivery.DeadLetters;
import dev.herald.store.DeadLetter;
import dev.herald.store.DeadLetterStore;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The dead letters of a target: list, get, redrive, purge (API.md). Stateless; thread-safe. */
public final class DeadLetterApi {
  private final DeadLetterStore store;
  private final DeadLetters deadLetters;

  public DeadLetterApi(DeadLetterStore store, DeadLetters deadLetters) {
    this.store = store;
    this.deadLetters = deadLetters;
  }

  public void register(HttpRouting.Builder routing) {
    routing.get("/v1/targets/{target}/dlq", this::list);
    routing.post("/v1/targets/{target}/dlq/redrive", this::redrive);
    routing.get("/v1/targets/{target}/dlq/{id}", this::getOne);
    routing.delete("/v1/targets/{target}/dlq/{id}", this::purgeOne);
    routing.delete("/v1/targets/{target}/dlq", this::purgeAll);
  }

  private void list(ServerRequest req, ServerResponse res) {
    String target = deadLetters.requireTarget(param(req, "target"));
    int limit = Page.limit(req.query().first("limit").asOptional());
    Optional<String> after = req.query().first("after").asOptional().map(Page::nameAfter);
    Page<DeadLetter> page = store.deadLetters(target, limit, after);
    ObjectNode body = Json.object();
    ArrayNode entries = body.putArray("entries");
    page.items().forEach(letter -> entries.add(json(letter)));
    body.put("total", store.countDeadLetters(target));
    if (page.next().isPresent()) {
      body.put("next", page.next().get());
    } else {
      body.putNull("next");
    }
    Http.send(res, 200, body);
  }

  private void getOne(ServerRequest req, ServerResponse res) {
    String target = deadLetters.requireTarget(param(req, "target"));
    String id = param(req, "id");
    DeadLetter letter = store.deadLetter(target, id).orElseThrow(() -> notFound(target, id));
    Http.send(res, 200, json(letter));
  }

  private void redrive(ServerRequest req, ServerResponse res) {
    String target = param(req, "target");
    Http.requireJson(req);
    Body body = Body.of(Http.parse(Http.readBody(req, 1024 * 1024)), "");
    boolean all = body.bool("all", false);
    List<String> ids = ids(body.node("ids"));
    body.finish();
    if (all == !ids.isEmpty()) {
      throw new ConfigException.Invalid("ids", "send either \"ids\": [...] or \"all\": true");
    }
    if (all) {
      ObjectNode answer = Json.object().put("redriven", deadLetters.redriveAll(target));
      answer.putArray("failed");
      Http.send(res, 200, answer);
      return;
    }
    DeadLetters.Outcome outcome = deadLetters.redrive(target, ids);
    ObjectNode answer = Json.object().put("redriven", outcome.redriven());
    ArrayNode failed = answer.putArray("failed");
    outcome
        .failed()
        .forEach(
            f ->
                failed
                    .addObject()
                    .put("id", f.id())
                    .put("code", f.code())
                    .put("message", f.message()));
    Http.send(res, 200, answer);
  }

  private void purgeOne(ServerRequest req, ServerResponse res) {
    String target = deadLetters.requireTarget(param(req, "target"));
    String id = param(req, "id");
    if (store.purgeDeadLetters(target, List.of(id)) == 0) {
      throw notFound(target, id);
    }
    Http.send(res, 200, Json.object().put("purged", 1));
  }

  private void purgeAll(ServerRequest req, ServerResponse res) {
    String target = deadLetters.requireTarget(param(req, "target"));
    if (!"true".equals(req.query().first("all").orElse(""))) {
      throw new ConfigException.Invalid(
          "all", "to purge every dead letter of a target, add ?all=true");
    }
    Http.send(res, 200, Json.object().put("purged", store.purgeAllDeadLetters(target)));
  }

  private static List<String> ids(Optional<JsonNode> node) {
    List<String> ids = new ArrayList<>();
    if (node.isPresent()) {
      if (!node.get().isArray() || node.get().size() > 1000) {
        throw new ConfigException.Invalid(
            "ids", "ids must be an array of at most 1000 dead-letter ids");
      }
      for (int i = 0; i < node.get().size(); i++) {
        JsonNode id = node.get().get(i);
        if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > 128) {
          String field = "ids[" + i + "]";
          throw new ConfigException.Invalid(
              field, field + " must be a dead-letter id (a non-empty string), got " + id);
        }
        ids.add(id.asText());
      }
    }
    return ids;
  }

  static ObjectNode json(DeadLetter letter) {
    ObjectNode node = Json.object();
    node.put("id", letter.id());
    node.put("deliveryKey", letter.deliveryKey());
    node.put("eventId", letter.eventId());
    try {
      node.set("event", Json.MAPPER.readTree(letter.envelopeJson()));
    } catch (IOException e) {
      node.put("event", letter.envelopeJson());
    }
    node.put("rule", letter.rule());
    node.put("attempts", letter.attempts());
    node.putObject("error").put("code", letter.errorCode()).put("message", letter.errorMessage());
    node.put("firstAttemptAt", letter.firstAttemptAt().toString());
    node.put("lastAttemptAt", letter.lastAttemptAt().toString());
    return node;
  }

  private static ConfigException.NotFound notFound(String target, String id) {
    return new ConfigException.NotFound(
        "DeadLetterNotFound", "target '" + target + "' has no dead letter '" + id + "'");
  }

  private static String param(ServerRequest req, String name) {
    return req.path().pathParameters().get(name);
  }
}
