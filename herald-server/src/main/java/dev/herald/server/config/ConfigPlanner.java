package dev.herald.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.herald.core.config.BusSpecs;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.DesiredState;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.config.RuleSpecs;
import dev.herald.core.config.Secrets;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.config.TargetTypes;
import dev.herald.core.json.Json;
import dev.herald.server.auth.KeyService;
import dev.herald.server.auth.Principal;
import dev.herald.server.config.ConfigPlan.Action;
import dev.herald.server.config.ConfigPlan.Change;
import dev.herald.server.config.ConfigPlan.Diff;
import dev.herald.store.ApiKey;
import dev.herald.store.ApiKeyStore;
import dev.herald.store.Bus;
import dev.herald.store.ConfigStore;
import dev.herald.store.Stored;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the difference between the stored configuration and a desired state ({@link #plan}) and
 * makes it ({@link #apply}) through the same services as the admin API, so every object is checked
 * as a {@code PUT} checks it. Apply makes creates and updates of buses, targets, rules and keys,
 * then deletes of rules, targets, buses and keys (deletes only with {@code prune}): no rule ever
 * names a missing target. Each change is one idempotent step; an apply stopped half way leaves what
 * it made, and the next apply makes the rest. Thread-safe: applies are serialized.
 */
public final class ConfigPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigPlanner.class);

  private final ConfigStore store;
  private final ApiKeyStore keyStore;
  private final ConfigService config;
  private final KeyService keys;
  private volatile Runnable beforeEachChange = () -> {};

  public ConfigPlanner(
      ConfigStore store, ApiKeyStore keyStore, ConfigService config, KeyService keys) {
    this.store = store;
    this.keyStore = keyStore;
    this.config = config;
    this.keys = keys;
  }

  /** Fault injection for tests only: runs before each change an apply makes. */
  public void beforeEachChange(Runnable hook) {
    this.beforeEachChange = hook;
  }

  /**
   * The changes {@link #apply} would make.
   *
   * @param by who asks: with prune, its own key is never deleted
   * @throws ConfigException.Invalid naming the first field at fault
   */
  public ConfigPlan plan(DesiredState desired, Principal by) {
    Map<String, Bus> buses = new TreeMap<>();
    store.buses().forEach(b -> buses.put(b.name(), b));
    Map<String, Stored<TargetSpec>> targets = new TreeMap<>();
    store.targets().forEach(t -> targets.put(t.spec().name(), t));
    Map<String, Stored<RuleSpec>> rules = new TreeMap<>();
    for (Bus bus : buses.values()) {
      store.rules(bus.name()).forEach(r -> rules.put(r.spec().bus() + "/" + r.spec().name(), r));
    }
    Map<String, ApiKey> stored = new TreeMap<>();
    keyStore.keys().forEach(k -> stored.put(k.id(), k));
    Map<String, DesiredState.KeySpec> wanted = keysById(desired);
    checkReferences(desired, buses.keySet(), targets.keySet());

    List<Change> upserts = new ArrayList<>();
    List<Change> deletes = new ArrayList<>();
    String changedBy = by.name();
    for (BusSpecs.BusSpec b : new TreeMap<>(desired.buses()).values()) {
      bus(b, buses.get(b.name()), upserts, changedBy);
    }
    for (TargetSpec t : new TreeMap<>(desired.targets()).values()) {
      target(t, Optional.ofNullable(targets.get(t.name())), upserts, changedBy);
    }
    // each bus's rules are read once, when the apply makes its first rule change there
    Map<String, ConfigService.BusRules> rooms = new HashMap<>();
    Function<String, ConfigService.BusRules> room =
        bus -> rooms.computeIfAbsent(bus, config::busRules);
    for (var r : new TreeMap<>(desired.rules()).entrySet()) {
      rule(
          r.getValue(),
          Optional.ofNullable(rules.get(r.getKey())),
          r.getKey(),
          upserts,
          changedBy,
          room);
    }
    wanted
        .values()
        .forEach(k -> key(k, Optional.ofNullable(stored.get(k.token().id())), upserts, by));
    if (desired.prune()) {
      for (var r : rules.entrySet()) {
        if (!desired.rules().containsKey(r.getKey())) {
          RuleSpec spec = r.getValue().spec();
          long v = r.getValue().version();
          deletes.add(
              change(
                  Action.DELETE,
                  "rule",
                  r.getKey(),
                  v,
                  List.of(),
                  () -> config.deleteRule(spec.bus(), spec.name(), OptionalLong.of(v))));
        }
      }
      for (var t : targets.entrySet()) {
        if (!desired.targets().containsKey(t.getKey())) {
          long v = t.getValue().version();
          deletes.add(
              change(
                  Action.DELETE,
                  "target",
                  t.getKey(),
                  v,
                  List.of(),
                  () -> config.deleteTarget(t.getKey(), OptionalLong.of(v))));
        }
      }
      for (Bus b : buses.values()) {
        if (!desired.buses().containsKey(b.name()) && !b.name().equals("default")) {
          deletes.add(
              change(
                  Action.DELETE,
                  "bus",
                  b.name(),
                  b.version(),
                  List.of(),
                  () -> config.deleteBus(b.name(), OptionalLong.of(b.version()))));
        }
      }
      for (ApiKey k : stored.values()) {
        if (!wanted.containsKey(k.id()) && !by.keyId().equals(Optional.of(k.id()))) {
          deletes.add(
              change(Action.DELETE, "key", k.id(), 0, List.of(), () -> keys.revoke(k.id(), by)));
        }
      }
    }
    List<Change> all = new ArrayList<>(upserts);
    all.addAll(deletes);
    return new ConfigPlan(all);
  }

  /** What {@link #apply} did. */
  public record Applied(ConfigPlan plan) {}

  /**
   * Makes the plan's changes in order. A change that fails stops the apply with its error (the
   * changes before it stay made; the next apply makes the rest).
   */
  public synchronized Applied apply(DesiredState desired, Principal by) {
    ConfigPlan plan = plan(desired, by);
    int done = 0;
    for (Change change : plan.changes()) {
      try {
        beforeEachChange.run();
        change.make().run();
      } catch (RuntimeException e) {
        LOG.warn(
            "configuration apply by {} stopped at {} {} {} after {} of {} changes: {}",
            by.name(),
            change.action().json(),
            change.kind(),
            change.name(),
            done,
            plan.changes().size(),
            e.getMessage());
        throw stopped(e, change, done, plan.changes().size());
      }
      done++;
    }
    if (!plan.isEmpty()) {
      LOG.info(
          "configuration applied by {}: {} created, {} updated, {} deleted",
          by.name(),
          plan.count(Action.CREATE),
          plan.count(Action.UPDATE),
          plan.count(Action.DELETE));
    }
    return new Applied(plan);
  }

  private static RuntimeException stopped(RuntimeException e, Change change, int done, int total) {
    String where =
        "apply stopped at "
            + change.action().json()
            + " "
            + change.kind()
            + " "
            + change.name()
            + " after "
            + done
            + " of "
            + total
            + " changes (the next apply makes the rest): ";
    return switch (e) {
      case ConfigException.Invalid i ->
          new ConfigException.Invalid(i.code(), prefix(change) + i.field(), where + i.getMessage());
      case ConfigException.Conflict c ->
          new ConfigException.Conflict(c.code(), where + c.getMessage(), c.names());
      case ConfigException.NotFound n ->
          new ConfigException.NotFound(n.code(), where + n.getMessage());
      default -> e;
    };
  }

  private static String prefix(Change change) {
    return switch (change.kind()) {
      case "bus" -> "buses." + change.name() + ".";
      case "target" -> "targets." + change.name() + ".";
      case "rule" -> "rules." + change.name() + ".";
      default -> "keys." + change.name() + ".";
    };
  }

  private static Change change(
      Action action, String kind, String name, long version, List<Diff> diffs, Runnable make) {
    return new Change(action, kind, name, version, diffs, make);
  }

  private static Map<String, DesiredState.KeySpec> keysById(DesiredState desired) {
    Map<String, DesiredState.KeySpec> byId = new TreeMap<>();
    for (DesiredState.KeySpec k : desired.keys().values()) {
      DesiredState.KeySpec other = byId.put(k.token().id(), k);
      if (other != null) {
        throw new ConfigException.Invalid(
            "keys." + k.name() + ".key",
            "keys " + other.name() + " and " + k.name() + " have the same id " + k.token().id());
      }
    }
    return byId;
  }

  /** Every rule's bus and targets, and every bus target's bus, exist once the plan is made. */
  private static void checkReferences(
      DesiredState desired, Set<String> storedBuses, Set<String> storedTargets) {
    Set<String> buses = new LinkedHashSet<>(desired.buses().keySet());
    Set<String> targets = new LinkedHashSet<>(desired.targets().keySet());
    buses.add("default");
    if (!desired.prune()) {
      buses.addAll(storedBuses);
      targets.addAll(storedTargets);
    }
    for (var r : new TreeMap<>(desired.rules()).entrySet()) {
      if (!buses.contains(r.getValue().bus())) {
        throw new ConfigException.Invalid(
            "UnknownBus", "rules." + r.getKey(), "unknown bus \"" + r.getValue().bus() + "\"");
      }
      List<String> names = r.getValue().targetNames();
      for (int i = 0; i < names.size(); i++) {
        if (!targets.contains(names.get(i))) {
          throw new ConfigException.Invalid(
              "UnknownTarget",
              "rules." + r.getKey() + ".targets[" + i + "].target",
              "unknown target \"" + names.get(i) + "\"");
        }
      }
    }
    for (TargetSpec t : desired.targets().values()) {
      if (t.type().equals("bus") && !buses.contains(t.settings().path("bus").asText())) {
        throw new ConfigException.Invalid(
            "targets." + t.name() + ".bus.bus",
            "unknown bus \"" + t.settings().path("bus").asText() + "\"");
      }
    }
  }

  private void bus(BusSpecs.BusSpec spec, Bus current, List<Change> out, String by) {
    ObjectNode to = Json.object();
    to.put("description", spec.description());
    to.put("archiveRetentionDays", spec.archiveRetentionDays());
    if (current == null) {
      out.add(
          change(
              Action.CREATE,
              "bus",
              spec.name(),
              0,
              List.of(),
              () -> config.putBus(spec, OptionalLong.empty(), by)));
      return;
    }
    ObjectNode from = Json.object();
    from.put("description", current.description());
    from.put("archiveRetentionDays", current.archiveRetentionDays());
    List<Diff> diffs = ConfigPlan.diff(from, to);
    if (!diffs.isEmpty()) {
      long v = current.version();
      out.add(
          change(
              Action.UPDATE,
              "bus",
              spec.name(),
              v,
              diffs,
              () -> config.putBus(spec, OptionalLong.of(v), by)));
    }
  }

  private void target(
      TargetSpec spec, Optional<Stored<TargetSpec>> current, List<Change> out, String by) {
    TargetSpec wanted = spec;
    if (current.isPresent() && current.get().spec().type().equals(spec.type())) {
      wanted =
          spec.withSettings(
              Secrets.keepMasked(spec.type(), spec.settings(), current.get().spec().settings()));
    }
    config.checkTarget(wanted);
    if (current.isEmpty()) {
      out.add(
          change(
              Action.CREATE,
              "target",
              spec.name(),
              0,
              List.of(),
              () -> config.putTarget(spec, OptionalLong.empty(), by)));
      return;
    }
    TargetSpec stored = current.get().spec();
    List<Diff> diffs = new ArrayList<>(ConfigPlan.diff(render(stored), render(wanted)));
    if (stored.type().equals(wanted.type())) {
      Set<String> pointers =
          new LinkedHashSet<>(TargetTypes.secretPaths(stored.type(), stored.settings()));
      pointers.addAll(TargetTypes.secretPaths(wanted.type(), wanted.settings()));
      for (String pointer : pointers) {
        JsonNode was = stored.settings().at(pointer);
        JsonNode is = wanted.settings().at(pointer);
        if (!was.isMissingNode() && !is.isMissingNode() && !was.equals(is)) {
          diffs.add(
              new Diff(
                  wanted.type() + pointer.replace('/', '.'),
                  TextNode.valueOf(TargetTypes.MASK),
                  TextNode.valueOf(TargetTypes.MASK),
                  true));
        }
      }
    }
    if (!diffs.isEmpty()) {
      long v = current.get().version();
      out.add(
          change(
              Action.UPDATE,
              "target",
              spec.name(),
              v,
              diffs,
              () -> config.putTarget(spec, OptionalLong.of(v), by)));
    }
  }

  /** A target's JSON without what the plan does not compare (secrets show as "***"). */
  private static ObjectNode render(TargetSpec spec) {
    ObjectNode node = TargetSpecs.toJson(spec, 0);
    node.remove("version");
    node.remove("name");
    return node;
  }

  private void rule(
      RuleSpec spec,
      Optional<Stored<RuleSpec>> current,
      String name,
      List<Change> out,
      String by,
      Function<String, ConfigService.BusRules> room) {
    if (current.isEmpty()) {
      out.add(
          change(
              Action.CREATE,
              "rule",
              name,
              0,
              List.of(),
              () -> config.putRule(spec, OptionalLong.empty(), by, room.apply(spec.bus()))));
      return;
    }
    List<Diff> diffs = ConfigPlan.diff(render(current.get().spec()), render(spec));
    if (!diffs.isEmpty()) {
      long v = current.get().version();
      out.add(
          change(
              Action.UPDATE,
              "rule",
              name,
              v,
              diffs,
              () -> config.putRule(spec, OptionalLong.of(v), by, room.apply(spec.bus()))));
    }
  }

  private static ObjectNode render(RuleSpec spec) {
    ObjectNode node = RuleSpecs.toJson(spec, 0);
    node.remove("version");
    node.remove("name");
    node.remove("bus");
    return node;
  }

  private void key(
      DesiredState.KeySpec spec, Optional<ApiKey> current, List<Change> out, Principal by) {
    Runnable make = () -> keys.importKey(spec.token(), spec.name(), spec.scopes(), by);
    if (current.isEmpty()) {
      out.add(change(Action.CREATE, "key", spec.token().id(), 0, List.of(), make));
      return;
    }
    List<Diff> diffs =
        new ArrayList<>(
            ConfigPlan.diff(
                render(current.get().name(), current.get().scopes()),
                render(spec.name(), spec.scopes())));
    if (!current.get().secret().equals(spec.token().secret())) {
      diffs.add(
          new Diff(
              "key", TextNode.valueOf(TargetTypes.MASK), TextNode.valueOf(TargetTypes.MASK), true));
    }
    if (!diffs.isEmpty()) {
      out.add(change(Action.UPDATE, "key", spec.token().id(), 0, diffs, make));
    }
  }

  private static ObjectNode render(String name, List<dev.herald.core.auth.Scope> scopes) {
    ObjectNode node = Json.object().put("name", name);
    ArrayNode array = node.putArray("scopes");
    scopes.forEach(s -> array.add(s.toString()));
    return node;
  }
}
