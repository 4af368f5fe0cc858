package dev.herald.server.config;

import dev.herald.core.config.BusSpecs;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.ConfigLimits;
import dev.herald.core.config.Page;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.config.Secrets;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.pattern.InvalidPatternException;
import dev.herald.core.pattern.PatternCompiler;
import dev.herald.engine.config.ConfigChange;
import dev.herald.engine.config.ConfigFeed;
import dev.herald.server.auth.Principal;
import dev.herald.store.Bus;
import dev.herald.store.ConfigStore;
import dev.herald.store.Stored;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Changes configuration: writes the store, applies the change on this instance at once, and
 * announces it on the change feed for the others. Thread-safe: the store serializes writes; the
 * applier's reloads are idempotent.
 */
public final class ConfigService {
  private final ConfigStore store;
  private final ConfigFeed feed;
  private final ConfigApplier applier;
  private final InstantSource clock;
  private final String instanceId;
  private final Consumer<TargetSpec> targetCheck;
  private final ConfigLimits limits;

  /**
   * @param targetCheck builds a target from its spec and releases it again, so that what only its
   *     implementation can check (templates, plugin jars, addresses) is refused before it is
   *     stored; throws {@link ConfigException.Invalid} naming the field
   */
  public ConfigService(
      ConfigStore store,
      ConfigFeed feed,
      ConfigApplier applier,
      InstantSource clock,
      String instanceId,
      Consumer<TargetSpec> targetCheck,
      ConfigLimits limits) {
    this.store = store;
    this.limits = limits;
    this.targetCheck = targetCheck;
    this.feed = feed;
    this.applier = applier;
    this.clock = clock;
    this.instanceId = instanceId;
  }

  /**
   * @param changedBy who makes the change: an API key id, {@code "anonymous"} while auth is off
   */
  public Bus putBus(BusSpecs.BusSpec spec, OptionalLong ifMatch, String changedBy) {
    if (store.bus(spec.name()).isEmpty()) {
      requireRoom("buses", limits.maxBuses(), store::listBuses);
    }
    Bus bus = store.putBus(spec, ifMatch, changedBy);
    changed(ConfigChange.Kind.BUS, Optional.empty(), bus.name(), bus.version(), false);
    return bus;
  }

  public void deleteBus(String name, OptionalLong ifMatch) {
    store.deleteBus(name, ifMatch);
    changed(ConfigChange.Kind.BUS, Optional.empty(), name, 0, true);
  }

  public Stored<RuleSpec> putRule(RuleSpec spec, OptionalLong ifMatch, String changedBy) {
    if (store.bus(spec.bus()).isEmpty()) {
      throw new ConfigException.NotFound("BusNotFound", "bus '" + spec.bus() + "' does not exist");
    }
    return putRule(spec, ifMatch, changedBy, busRules(spec.bus()));
  }

  /**
   * As {@link #putRule(RuleSpec, OptionalLong, String)}, checking the bus's room against {@code
   * known}, which a run of puts to one bus (a configuration apply) reads once and this keeps
   * current: a thousand new rules cost a thousand checks, not a million rule reads.
   */
  public Stored<RuleSpec> putRule(
      RuleSpec spec, OptionalLong ifMatch, String changedBy, BusRules known) {
    if (!known.bus.equals(spec.bus())) {
      throw new IllegalArgumentException(
          "rules of bus " + known.bus + " cannot check a rule of bus " + spec.bus());
    }
    checkBusRoom(spec, known);
    Stored<RuleSpec> stored = store.putRule(spec, ifMatch, changedBy);
    known.put(spec);
    changed(ConfigChange.Kind.RULE, Optional.of(spec.bus()), spec.name(), stored.version(), false);
    return stored;
  }

  /**
   * The rules of a bus as far as its room is concerned: each rule's complexity while enabled (0
   * when disabled or simple). Read from the store by {@link #busRules}; not thread-safe, for one
   * run of puts on one thread.
   */
  public static final class BusRules {
    private final String bus;
    private final Map<String, Integer> complexityByName = new HashMap<>();
    private long complexity;

    private BusRules(String bus) {
      this.bus = bus;
    }

    private void put(RuleSpec rule) {
      int value = rule.enabled() ? PatternCompiler.complexity(rule.pattern()) : 0;
      Integer old = complexityByName.put(rule.name(), value);
      complexity += value - (old == null ? 0 : old);
    }
  }

  /**
   * Reads the rules of {@code bus} for {@link #putRule(RuleSpec, OptionalLong, String, BusRules)}.
   */
  public BusRules busRules(String bus) {
    BusRules known = new BusRules(bus);
    Optional<String> after = Optional.empty();
    do {
      Page<Stored<RuleSpec>> page = store.listRules(bus, Page.MAX_LIMIT, after);
      page.items().forEach(rule -> known.put(rule.spec()));
      after = page.next().map(Page::nameAfter);
    } while (after.isPresent());
    return known;
  }

  public void deleteRule(String bus, String name, OptionalLong ifMatch) {
    store.deleteRule(bus, name, ifMatch);
    changed(ConfigChange.Kind.RULE, Optional.of(bus), name, 0, true);
  }

  /** Stores a target; secrets sent back as {@code "***"} keep their stored value. */
  public Stored<TargetSpec> putTarget(TargetSpec spec, OptionalLong ifMatch, String changedBy) {
    TargetSpec toStore = spec;
    Optional<Stored<TargetSpec>> current = store.target(spec.name());
    if (current.isPresent() && current.get().spec().type().equals(spec.type())) {
      toStore =
          spec.withSettings(
              Secrets.keepMasked(spec.type(), spec.settings(), current.get().spec().settings()));
    }
    if (current.isEmpty()) {
      requireRoom("targets", limits.maxTargets(), store::listTargets);
    }
    targetCheck.accept(toStore);
    requireBusOfBusTarget(toStore);
    Stored<TargetSpec> stored = store.putTarget(toStore, ifMatch, changedBy);
    changed(ConfigChange.Kind.TARGET, Optional.empty(), spec.name(), stored.version(), false);
    return stored;
  }

  /**
   * Checks a target as {@link #putTarget} would before storing it (what only its implementation can
   * check: templates, plugin jars, addresses), without storing it.
   *
   * @throws ConfigException.Invalid naming the field
   */
  public void checkTarget(TargetSpec spec) {
    targetCheck.accept(spec);
  }

  /**
   * A new rule must fit under the bus's rule cap, and the bus's patterns with it under the
   * matching-cost bound ({@link PatternCompiler#MAX_BUS_COMPLEXITY}).
   */
  private void checkBusRoom(RuleSpec spec, BusRules known) {
    Integer replaced = known.complexityByName.get(spec.name());
    if (replaced == null && known.complexityByName.size() >= limits.maxRulesPerBus()) {
      throw limitExceeded("rules on bus '" + spec.bus() + "'", limits.maxRulesPerBus());
    }
    if (spec.enabled()) {
      long others = known.complexity - (replaced == null ? 0 : replaced);
      try {
        PatternCompiler.checkBus(others, spec.pattern());
      } catch (InvalidPatternException e) {
        throw new ConfigException.Invalid("InvalidPattern", "pattern", e.getMessage());
      }
    }
  }

  /** Refuses to create one more object of a kind that is at its cap. */
  private static <T> void requireRoom(String what, int cap, PageSource<T> pages) {
    long count = 0;
    Optional<String> after = Optional.empty();
    do {
      Page<T> page = pages.page(Page.MAX_LIMIT, after);
      count += page.items().size();
      after = page.next().map(Page::nameAfter);
    } while (after.isPresent() && count < cap);
    if (count >= cap) {
      throw limitExceeded(what, cap);
    }
  }

  private static ConfigException limitExceeded(String what, int cap) {
    return new ConfigException.Conflict(
        "LimitExceeded",
        "the limit of "
            + cap
            + " "
            + what
            + " is reached; delete one first or raise the limit"
            + " (docs/security.md)",
        List.of());
  }

  /** One page of a list in the store. */
  @FunctionalInterface
  private interface PageSource<T> {
    Page<T> page(int limit, Optional<String> after);
  }

  /**
   * A bus target must name a bus that exists when it is stored (a typo is a 400, not dead letters
   * later). Only here, not when the target is built: a bus deleted afterwards must not keep the
   * target from being built at start; its deliveries become {@code BusNotFound} dead letters.
   */
  private void requireBusOfBusTarget(TargetSpec spec) {
    if (!spec.type().equals("bus")) {
      return;
    }
    String bus = spec.settings().path("bus").asText();
    if (store.bus(bus).isEmpty()) {
      throw new ConfigException.Invalid(
          "bus.bus", "bus.bus names bus '" + bus + "', which does not exist; create it first");
    }
  }

  /** Disables a target (it answered 410): its deliveries wait until it is resumed. */
  public void disableTarget(String name) {
    setEnabled(name, false, Principal.HERALD);
  }

  /** Re-enables a target disabled by a 410 or by {@code "enabled": false}. */
  public Stored<TargetSpec> resumeTarget(String name, String changedBy) {
    return setEnabled(name, true, changedBy);
  }

  private Stored<TargetSpec> setEnabled(String name, boolean enabled, String changedBy) {
    Stored<TargetSpec> current =
        store
            .target(name)
            .orElseThrow(
                () ->
                    new ConfigException.NotFound(
                        "TargetNotFound", "target '" + name + "' does not exist"));
    TargetSpec changed = current.spec().withEnabled(enabled);
    Stored<TargetSpec> stored =
        store.putTarget(changed, OptionalLong.of(current.version()), changedBy);
    changed(ConfigChange.Kind.TARGET, Optional.empty(), name, stored.version(), false);
    return stored;
  }

  public void deleteTarget(String name, OptionalLong ifMatch) {
    store.deleteTarget(name, ifMatch);
    changed(ConfigChange.Kind.TARGET, Optional.empty(), name, 0, true);
  }

  private void changed(
      ConfigChange.Kind kind, Optional<String> bus, String name, long version, boolean deleted) {
    ConfigChange change =
        new ConfigChange(kind, bus, name, version, deleted, clock.millis(), instanceId);
    applier.apply(change);
    feed.publish(change);
  }
}
