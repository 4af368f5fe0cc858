package dev.herald.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.auth.KeyToken;
import dev.herald.core.auth.Scope;
import dev.herald.core.json.Json;
import dev.herald.server.http.ApiError;
import dev.herald.server.http.Http;
import dev.herald.store.ApiKey;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/keys}: create (the secret is answered only then), list, import and revoke API keys.
 * Stateless; thread-safe.
 */
public final class KeysApi {
  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final int MAX_NAME_CHARS = 200;
  private static final int MAX_SCOPES = 100;

  private final KeyService keys;
  private final KeyRing ring;

  public KeysApi(KeyService keys, KeyRing ring) {
    this.keys = keys;
    this.ring = ring;
  }

  public void register(HttpRouting.Builder routing) {
    routing.post("/v1/keys", this::create);
    routing.get("/v1/keys", this::list);
    routing.get("/v1/keys/{id}", (req, res) -> Http.send(res, 200, json(find(id(req)))));
    routing.put("/v1/keys/{id}", this::importKey);
    routing.delete(
        "/v1/keys/{id}",
        (req, res) -> {
          keys.revoke(id(req), Principal.of(req));
          res.status(204).send();
        });
  }

  private void create(ServerRequest req, ServerResponse res) {
    JsonNode body = body(req, Set.of("name", "scopes"));
    KeyService.Created created = keys.create(name(body), scopes(body), Principal.of(req));
    ObjectNode answer = json(created.key());
    answer.put("key", created.token().text());
    Http.send(res, 201, answer);
  }

  private void list(ServerRequest req, ServerResponse res) {
    ring.reload(); // lists what the store holds, also keys changed on other instances just now
    ObjectNode answer = Json.object();
    ArrayNode items = answer.putArray("keys");
    ring.keys().forEach(k -> items.add(json(k)));
    answer.putNull("next");
    Http.send(res, 200, answer);
  }

  private void importKey(ServerRequest req, ServerResponse res) {
    String id = id(req);
    JsonNode body = body(req, Set.of("name", "scopes", "secret"));
    JsonNode secret = body.get("secret");
    if (secret == null || !secret.isTextual()) {
      throw ApiError.invalidRequest("'secret' is required: the key's secret as a string", "secret");
    }
    if (!KeyToken.isValidSecret(secret.asText())) {
      throw ApiError.invalidRequest("'secret' " + KeyToken.describeSecret(), "secret");
    }
    ApiKey key =
        keys.importKey(
            new KeyToken(id, secret.asText()), name(body), scopes(body), Principal.of(req));
    Http.send(res, 200, json(key));
  }

  private ApiKey find(String id) {
    return ring.key(id)
        .orElseThrow(() -> ApiError.notFound("KeyNotFound", "API key '" + id + "' does not exist"));
  }

  private static String id(ServerRequest req) {
    String id = req.path().pathParameters().get("id");
    if (!KeyToken.isValidId(id)) {
      throw ApiError.invalidRequest("key id " + KeyToken.describeId() + ", got '" + id + "'", "id");
    }
    return id;
  }

  private static JsonNode body(ServerRequest req, Set<String> fields) {
    Http.requireJson(req);
    JsonNode body = Http.parse(Http.readBody(req, MAX_BODY_BYTES));
    if (!body.isObject()) {
      throw ApiError.invalidRequest("the body must be a JSON object", null);
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw ApiError.invalidRequest(
            "unknown field '"
                + name
                + "'; expected "
                + String.join(", ", fields.stream().sorted().toList()),
            name);
      }
    }
    return body;
  }

  private static String name(JsonNode body) {
    JsonNode name = body.get("name");
    if (name == null || !name.isTextual() || name.asText().isBlank()) {
      throw ApiError.invalidRequest("'name' is required: a non-empty string", "name");
    }
    if (name.asText().length() > MAX_NAME_CHARS) {
      throw ApiError.invalidRequest(
          "'name' is longer than " + MAX_NAME_CHARS + " characters", "name");
    }
    return name.asText();
  }

  private static List<Scope> scopes(JsonNode body) {
    JsonNode scopes = body.get("scopes");
    if (scopes == null || !scopes.isArray() || scopes.isEmpty()) {
      throw ApiError.invalidRequest(
          "'scopes' is required: a non-empty list such as [\"publish:orders\", \"read\"]",
          "scopes");
    }
    if (scopes.size() > MAX_SCOPES) {
      throw ApiError.invalidRequest("'scopes' has more than " + MAX_SCOPES + " items", "scopes");
    }
    List<Scope> parsed = new ArrayList<>();
    for (int i = 0; i < scopes.size(); i++) {
      JsonNode scope = scopes.get(i);
      String field = "scopes[" + i + "]";
      if (!scope.isTextual()) {
        throw ApiError.invalidRequest(field + " must be a string", field);
      }
      try {
        Scope s = Scope.parse(scope.asText());
        if (!parsed.contains(s)) {
          parsed.add(s);
        }
      } catch (IllegalArgumentException e) {
        throw ApiError.invalidRequest(e.getMessage(), field);
      }
    }
    return parsed;
  }

  /** A key as GET shows it: never its secret. */
  static ObjectNode json(ApiKey key) {
    ObjectNode node = Json.object();
    node.put("id", key.id());
    node.put("name", key.name());
    ArrayNode scopes = node.putArray("scopes");
    key.scopes().forEach(s -> scopes.add(s.toString()));
    node.put("createdAt", key.createdAt().toString());
    node.put("updatedAt", key.updatedAt().toString());
    node.put("lastUsedAt", key.lastUsedAt().map(Object::toString).orElse(null));
    node.put("changedBy", key.changedBy().orElse(null));
    return node;
  }
}
