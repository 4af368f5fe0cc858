package dev.herald.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration calls: plan and apply a desired state (configuration as code), and list, get, put
 * and delete buses, rules, targets and keys one by one. Reached through {@link
 * HeraldClient#config()}. Thread-safe, as its client.
 */
public final class ConfigCalls {
  private final HeraldClient client;

  ConfigCalls(HeraldClient client) {
    this.client = client;
  }

  /**
   * {@code POST /v1/config/plan}: the changes that would bring Herald to {@code desired} ({@code
   * {"changes": [{"action", "kind", "name", "diffs"}], "summary"}}).
   *
   * @param desired {@code {"buses", "targets", "rules", "keys"}} as herald.yaml declares them
   */
  public JsonNode plan(ObjectNode desired, boolean prune) {
    return client.call("POST", "v1/config/plan", withPrune(desired, prune));
  }

  /** {@code POST /v1/config/apply}: makes the plan's changes; answers them and {@code applied}. */
  public JsonNode apply(ObjectNode desired, boolean prune) {
    return client.call("POST", "v1/config/apply", withPrune(desired, prune));
  }

  private static String withPrune(ObjectNode desired, boolean prune) {
    ObjectNode body = desired.deepCopy();
    body.put("prune", prune);
    return body.toString();
  }

  /** {@code GET /v1/buses}, every page. */
  public List<JsonNode> buses() {
    return all("v1/buses");
  }

  /** {@code GET /v1/buses/{bus}/rules}, every page. */
  public List<JsonNode> rules(String bus) {
    return all("v1/buses/" + HeraldClient.encode(bus) + "/rules");
  }

  /** {@code GET /v1/targets}, every page. */
  public List<JsonNode> targets() {
    return all("v1/targets");
  }

  /** {@code GET /v1/keys}: every key, never a secret. */
  public List<JsonNode> keys() {
    List<JsonNode> keys = new ArrayList<>();
    client.call("GET", "v1/keys", null).path("keys").forEach(keys::add);
    return keys;
  }

  /** {@code GET} of one object, e.g. {@code path("buses", "orders")}; 404 is thrown. */
  public JsonNode get(String path) {
    return client.call("GET", path, null);
  }

  /** {@code PUT} of one object: the stored object. */
  public JsonNode put(String path, JsonNode body) {
    return client.call("PUT", path, body.toString());
  }

  /** {@code DELETE} of one object. */
  public void delete(String path) {
    client.call("DELETE", path, null);
  }

  /** The API path of a bus. */
  public static String bus(String bus) {
    return "v1/buses/" + HeraldClient.encode(bus);
  }

  /** The API path of a rule. */
  public static String rule(String bus, String rule) {
    return bus(bus) + "/rules/" + HeraldClient.encode(rule);
  }

  /** The API path of a target. */
  public static String target(String target) {
    return "v1/targets/" + HeraldClient.encode(target);
  }

  /** The API path of a key. */
  public static String key(String id) {
    return "v1/keys/" + HeraldClient.encode(id);
  }

  /** {@code GET /v1/stats}: live numbers per target. */
  public JsonNode stats() {
    return client.call("GET", "v1/stats", null);
  }

  private List<JsonNode> all(String path) {
    List<JsonNode> items = new ArrayList<>();
    String next = null;
    do {
      String page =
          path + "?limit=1000" + (next == null ? "" : "&after=" + HeraldClient.encode(next));
      JsonNode answer = client.call("GET", page, null);
      answer.path("items").forEach(items::add);
      next = answer.path("next").isTextual() ? answer.path("next").asText() : null;
    } while (next != null);
    return items;
  }
}
