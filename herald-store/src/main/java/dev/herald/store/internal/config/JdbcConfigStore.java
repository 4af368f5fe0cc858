package dev.herald.store.internal.config;

import dev.herald.core.config.BusSpecs;
import dev.herald.core.config.Page;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.event.Names;
import dev.herald.core.secret.SecretBox;
import dev.herald.store.Bus;
import dev.herald.store.ConfigStore;
import dev.herald.store.Stored;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.Pages;
import dev.herald.store.internal.db.StoreCalls;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@link ConfigStore} over either database: checks arguments, then one repository per table
 * (buses, targets, rules).
 *
 * <p><b>Thread safety.</b> Stateless apart from its repositories, which are thread-safe as the
 * {@link Database} underneath is.
 */
public final class JdbcConfigStore implements ConfigStore {
  private final StoreCalls calls;
  private final BusRepository buses;
  private final TargetRepository targets;
  private final RuleRepository rules;

  public JdbcConfigStore(Database db, StoreCalls calls, InstantSource clock, SecretBox secrets) {
    this.calls = calls;
    this.buses = new BusRepository(db, clock);
    this.targets = new TargetRepository(db, clock, secrets);
    this.rules = new RuleRepository(db, clock);
  }

  // --- buses ---

  @Override
  public Bus ensureBus(String name, String description) {
    requireName("bus", name);
    Objects.requireNonNull(description, "description");
    return calls.call(() -> buses.ensure(name, description), "ensure bus '" + name + "'");
  }

  @Override
  public Optional<Bus> bus(String name) {
    Objects.requireNonNull(name, "name");
    return calls.call(() -> buses.byName(name), "read bus '" + name + "'");
  }

  @Override
  public Optional<Bus> busByOrdinal(int ordinal) {
    return calls.call(() -> buses.byOrdinal(ordinal), "read the bus with ordinal " + ordinal);
  }

  @Override
  public List<Bus> buses() {
    return calls.call(buses::all, "list buses");
  }

  @Override
  public Bus putBus(BusSpecs.BusSpec spec, OptionalLong ifMatch, String changedBy) {
    requireName("bus", spec.name());
    Objects.requireNonNull(spec.description(), "description");
    Objects.requireNonNull(ifMatch, "ifMatch");
    Objects.requireNonNull(changedBy, "changedBy");
    return calls.call(() -> buses.put(spec, ifMatch, changedBy), "store bus '" + spec.name() + "'");
  }

  @Override
  public void deleteBus(String name, OptionalLong ifMatch) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ifMatch, "ifMatch");
    calls.run(() -> buses.delete(name, ifMatch), "delete bus '" + name + "'");
  }

  @Override
  public Page<Bus> listBuses(int limit, Optional<String> after) {
    Pages.checkLimit(limit);
    Objects.requireNonNull(after, "after");
    return calls.call(() -> buses.page(limit, after), "list buses");
  }

  // --- targets ---

  @Override
  public Stored<TargetSpec> putTarget(TargetSpec spec, OptionalLong ifMatch, String changedBy) {
    requireName("target", spec.name());
    Objects.requireNonNull(ifMatch, "ifMatch");
    Objects.requireNonNull(changedBy, "changedBy");
    return calls.call(
        () -> targets.put(spec, ifMatch, changedBy), "store target '" + spec.name() + "'");
  }

  @Override
  public Optional<Stored<TargetSpec>> target(String name) {
    Objects.requireNonNull(name, "name");
    return calls.call(() -> targets.byName(name), "read target '" + name + "'");
  }

  @Override
  public Page<Stored<TargetSpec>> listTargets(int limit, Optional<String> after) {
    Pages.checkLimit(limit);
    Objects.requireNonNull(after, "after");
    return calls.call(() -> targets.page(limit, after), "list targets");
  }

  @Override
  public List<Stored<TargetSpec>> targets() {
    return calls.call(targets::all, "list targets");
  }

  @Override
  public void deleteTarget(String name, OptionalLong ifMatch) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ifMatch, "ifMatch");
    calls.run(() -> targets.delete(name, ifMatch), "delete target '" + name + "'");
  }

  // --- rules ---

  @Override
  public Stored<RuleSpec> putRule(RuleSpec spec, OptionalLong ifMatch, String changedBy) {
    requireName("bus", spec.bus());
    requireName("rule", spec.name());
    spec.targetNames().forEach(target -> requireName("target", target));
    Objects.requireNonNull(ifMatch, "ifMatch");
    Objects.requireNonNull(changedBy, "changedBy");
    return calls.call(
        () -> rules.put(spec, ifMatch, changedBy), "store rule '" + spec.name() + "'");
  }

  @Override
  public Optional<Stored<RuleSpec>> rule(String bus, String name) {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(name, "name");
    return calls.call(
        () -> rules.byName(bus, name), "read rule '" + name + "' of bus '" + bus + "'");
  }

  @Override
  public Page<Stored<RuleSpec>> listRules(String bus, int limit, Optional<String> after) {
    Objects.requireNonNull(bus, "bus");
    Pages.checkLimit(limit);
    Objects.requireNonNull(after, "after");
    return calls.call(() -> rules.page(bus, limit, after), "list the rules of bus '" + bus + "'");
  }

  @Override
  public List<Stored<RuleSpec>> rules(String bus) {
    Objects.requireNonNull(bus, "bus");
    return calls.call(() -> rules.all(bus), "list the rules of bus '" + bus + "'");
  }

  @Override
  public void deleteRule(String bus, String name, OptionalLong ifMatch) {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ifMatch, "ifMatch");
    calls.run(
        () -> rules.delete(bus, name, ifMatch), "delete rule '" + name + "' of bus '" + bus + "'");
  }

  private static void requireName(String kind, String name) {
    if (!Names.isValid(name)) {
      throw new IllegalArgumentException(
          kind + " name must be " + Names.describe() + ", got '" + name + "'");
    }
  }
}
