package dev.herald.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.auth.KeyToken;
import dev.herald.core.auth.Scope;
import dev.herald.core.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration a team declares (herald.yaml, one environment resolved): what {@code POST
 * /v1/config/plan} and {@code /v1/config/apply} take. Each object is checked by the parser of its
 * own API ({@link BusSpecs}, {@link TargetSpecs}, {@link RuleSpecs}), so the file accepts exactly
 * what the API accepts.
 *
 * <p>JSON: {@code {"buses": {name: bus body}, "targets": {name: target body}, "rules":
 * {"<bus>/<rule>": rule body}, "keys": {name: {"scopes": [...], "key": "<id>.<secret>"}}, "prune":
 * false}}.
 *
 * @param rules by {@code <bus>/<rule>}
 * @param keys by the key's name
 */
public record DesiredState(
    Map<String, BusSpecs.BusSpec> buses,
    Map<String, TargetSpec> targets,
    Map<String, RuleSpec> rules,
    Map<String, KeySpec> keys,
    boolean prune) {

  /** The fields of the desired state's JSON. */
  public static final Set<String> FIELDS = Set.of("buses", "targets", "rules", "keys", "prune");

  /** The fields of one key. */
  public static final Set<String> KEY_FIELDS = Set.of("scopes", "key");

  public DesiredState {
    buses = Map.copyOf(buses);
    targets = Map.copyOf(targets);
    rules = Map.copyOf(rules);
    keys = Map.copyOf(keys);
  }

  /** An API key to import with {@code PUT /v1/keys/{id}}. */
  public record KeySpec(String name, KeyToken token, List<Scope> scopes) {
    public KeySpec {
      scopes = List.copyOf(scopes);
    }

    /** Never the secret. */
    @Override
    public String toString() {
      return "KeySpec[" + name + ", " + token.id() + ", " + scopes + "]";
    }
  }

  /** What {@link #parse} made of a JSON body: the state when {@code errors} is empty. */
  public record Parsed(DesiredState state, List<ConfigException.Invalid> errors) {
    public Parsed {
      errors = List.copyOf(errors);
    }

    /** The state, or the first error (its message says how many more there are). */
    public DesiredState orThrow() {
      if (errors.isEmpty()) {
        return state;
      }
      ConfigException.Invalid first = errors.getFirst();
      String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more errors)" : "";
      throw new ConfigException.Invalid(first.code(), first.field(), first.getMessage() + more);
    }
  }

  /**
   * Parses and checks every object, collecting one error per object, each naming its field from the
   * top ({@code targets.orders-hook.retry.maxAttempts}).
   */
  public static Parsed parse(JsonNode json) {
    List<ConfigException.Invalid> errors = new ArrayList<>();
    if (json == null || !json.isObject()) {
      errors.add(new ConfigException.Invalid("", "the desired state must be a JSON object"));
      return new Parsed(empty(), errors);
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        errors.add(unknown(name));
      }
    }
    Map<String, BusSpecs.BusSpec> buses = new LinkedHashMap<>();
    each(json, "buses", errors, (name, body) -> buses.put(name, BusSpecs.parse(name, body)));
    Map<String, TargetSpec> targets = new LinkedHashMap<>();
    each(json, "targets", errors, (name, body) -> targets.put(name, TargetSpecs.parse(name, body)));
    Map<String, RuleSpec> rules = new LinkedHashMap<>();
    each(
        json,
        "rules",
        errors,
        (name, body) -> {
          int slash = name.indexOf('/');
          if (slash <= 0 || slash != name.lastIndexOf('/') || slash == name.length() - 1) {
            throw new ConfigException.Invalid(
                "", "a rule is named <bus>/<rule>, such as orders/big-orders; got '" + name + "'");
          }
          rules.put(
              name, RuleSpecs.parse(name.substring(0, slash), name.substring(slash + 1), body));
        });
    Map<String, KeySpec> keys = new LinkedHashMap<>();
    each(json, "keys", errors, (name, body) -> keys.put(name, key(name, body)));
    JsonNode prune = json.path("prune");
    if (!prune.isMissingNode() && !prune.isNull() && !prune.isBoolean()) {
      errors.add(new ConfigException.Invalid("prune", "prune must be true or false"));
    }
    return new Parsed(
        new DesiredState(buses, targets, rules, keys, prune.asBoolean(false)), errors);
  }

  private static DesiredState empty() {
    return new DesiredState(Map.of(), Map.of(), Map.of(), Map.of(), false);
  }

  /** Parses one object of a kind. */
  @FunctionalInterface
  private interface ObjectParser {
    void parse(String name, JsonNode body);
  }

  private static void each(
      JsonNode json, String kind, List<ConfigException.Invalid> errors, ObjectParser parser) {
    JsonNode objects = json.get(kind);
    if (objects == null || objects.isNull()) {
      return;
    }
    if (!objects.isObject()) {
      errors.add(
          new ConfigException.Invalid(kind, kind + " must be a map of names to their settings"));
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = objects.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String prefix = kind + "." + entry.getKey();
      JsonNode body = entry.getValue().isNull() ? Json.object() : entry.getValue();
      try {
        parser.parse(entry.getKey(), body);
      } catch (ConfigException.Invalid e) {
        errors.add(prefixed(prefix, e));
      }
    }
  }

  /** The error with its field named from the top of the desired state. */
  private static ConfigException.Invalid prefixed(String prefix, ConfigException.Invalid e) {
    String field = e.field() == null || e.field().isEmpty() ? prefix : prefix + "." + e.field();
    if (e.field() != null && e.field().equals("name")) {
      field = prefix; // the object's own name, which is its key here
    }
    return new ConfigException.Invalid(e.code(), field, e.getMessage());
  }

  private static ConfigException.Invalid unknown(String name) {
    return new ConfigException.Invalid(
        "UnknownField",
        name,
        "unknown field " + name + "; allowed: " + new java.util.TreeSet<>(FIELDS));
  }

  private static KeySpec key(String name, JsonNode json) {
    Body body = Body.of(json, "");
    if (name.isBlank() || name.length() > 200) {
      throw new ConfigException.Invalid("", "a key's name is 1 to 200 characters");
    }
    String text = body.requiredText("key", 400);
    KeyToken token =
        KeyToken.parse(text)
            .orElseThrow(
                () ->
                    new ConfigException.Invalid(
                        "key",
                        "key must be <id>.<secret>: the id "
                            + KeyToken.describeId()
                            + ", the secret "
                            + KeyToken.describeSecret()));
    JsonNode scopes = body.node("scopes").orElseThrow(() -> body.invalid("scopes", "is required"));
    if (!scopes.isArray() || scopes.isEmpty()) {
      throw body.invalid("scopes", "must be a non-empty list such as [\"publish:orders\"]");
    }
    List<Scope> parsed = new ArrayList<>();
    for (int i = 0; i < scopes.size(); i++) {
      String field = "scopes[" + i + "]";
      if (!scopes.get(i).isTextual()) {
        throw new ConfigException.Invalid(field, field + " must be a string");
      }
      try {
        Scope scope = Scope.parse(scopes.get(i).asText());
        if (!parsed.contains(scope)) {
          parsed.add(scope);
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigException.Invalid(field, e.getMessage());
      }
    }
    body.finish();
    return new KeySpec(name, token, parsed);
  }

  /** The JSON {@link #parse} reads back (secrets in clear: for the wire to Herald only). */
  public static ObjectNode keyJson(KeySpec key) {
    ObjectNode node = Json.object();
    ArrayNode scopes = node.putArray("scopes");
    key.scopes().forEach(s -> scopes.add(s.toString()));
    node.put("key", key.token().text());
    return node;
  }
}
