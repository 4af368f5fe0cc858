package dev.herald.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The changes that bring the stored configuration to a desired state, in the order they are made:
 * creates and updates of buses, targets, rules and keys, then deletes of rules, targets, buses and
 * keys. So no rule ever names a missing target or bus. Immutable.
 */
public record ConfigPlan(List<Change> changes) {
  public ConfigPlan {
    changes = List.copyOf(changes);
  }

  public enum Action {
    CREATE,
    UPDATE,
    DELETE;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One field that changes. A secret's values are never shown: {@code secret} is true and both
   * values are {@code "***"}.
   */
  public record Diff(String field, JsonNode from, JsonNode to, boolean secret) {}

  /**
   * One change of one object.
   *
   * @param kind bus, target, rule or key
   * @param name the object's name ({@code <bus>/<rule>} for a rule, the id for a key)
   * @param version the stored version it changes (If-Match), 0 for a create
   */
  public record Change(
      Action action, String kind, String name, long version, List<Diff> diffs, Runnable make) {
    public Change {
      diffs = List.copyOf(diffs);
    }
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  public long count(Action action) {
    return changes.stream().filter(c -> c.action() == action).count();
  }

  /** The plan as the API answers it. */
  public ObjectNode toJson() {
    ObjectNode root = Json.object();
    ArrayNode list = root.putArray("changes");
    for (Change c : changes) {
      ObjectNode node = list.addObject();
      node.put("action", c.action().json());
      node.put("kind", c.kind());
      node.put("name", c.name());
      ArrayNode diffs = node.putArray("diffs");
      for (Diff d : c.diffs()) {
        ObjectNode diff = diffs.addObject().put("field", d.field());
        if (d.secret()) {
          diff.put("secret", true).put("change", "secret changed");
        } else {
          diff.set("from", d.from());
          diff.set("to", d.to());
        }
      }
    }
    ObjectNode summary = root.putObject("summary");
    for (Action a : Action.values()) {
      summary.put(a.json(), count(a));
    }
    return root;
  }

  /** The fields that differ between two renderings of an object, dotted from its top. */
  static List<Diff> diff(JsonNode from, JsonNode to) {
    List<Diff> out = new ArrayList<>();
    diff(from, to, "", out);
    return out;
  }

  private static void diff(JsonNode from, JsonNode to, String path, List<Diff> out) {
    if (from instanceof ObjectNode f && to instanceof ObjectNode t) {
      Set<String> names = new LinkedHashSet<>();
      t.fieldNames().forEachRemaining(names::add);
      f.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        diff(
            value(f.get(name)), value(t.get(name)), path.isEmpty() ? name : path + "." + name, out);
      }
    } else if (!from.equals(to)) {
      out.add(new Diff(path, from, to, false));
    }
  }

  private static JsonNode value(JsonNode node) {
    return node == null ? NullNode.getInstance() : node;
  }
}
