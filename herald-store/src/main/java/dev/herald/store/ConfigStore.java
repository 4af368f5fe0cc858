package dev.herald.store;

import dev.herald.core.config.BusSpecs;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.config.TargetSpec;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The configuration role of the state store: buses, targets and rules, the objects the admin API
 * edits. Used by the configuration service, the routing tables, the bus directory and whatever
 * needs to know whether a target exists.
 *
 * <p>Every object carries a version: 1 when created, plus 1 on every successful put. A put or
 * delete given {@code ifMatch} acts only when the stored version equals it, a missing object
 * counting as version 0; otherwise it throws {@link ConfigException.VersionMismatch} and changes
 * nothing. The references between them are foreign keys of the database: a rule names only existing
 * targets, a target named by a rule and a bus that has rules cannot be deleted. Refusals throw the
 * {@link ConfigException} that the admin API answers with (404 {@link ConfigException.NotFound},
 * 409 {@link ConfigException.Conflict}, 412 {@link ConfigException.VersionMismatch}); names in them
 * are sorted. Lists page as the {@link StateStore} class comment says. Targets' secrets are stored
 * sealed and come back in clear ({@link UnreadableSecretsException} when sealed with another key).
 *
 * <p>Every method is blocking, thread-safe and fails as the {@link StateStore} class comment says
 * ({@link StoreUnavailableException}, {@link StoreClosedException}).
 */
public interface ConfigStore {

  /**
   * The {@code changedBy} of a put that names nobody: stored as unknown, read back as empty. Every
   * put records who made it ({@link Stored#changedBy}, {@link Bus#changedBy}).
   */
  String NOBODY = "";

  /**
   * Returns the bus named {@code name}, creating it with {@code description} and the next free
   * ordinal when it does not exist. An existing bus is returned unchanged. Safe against concurrent
   * calls, also from several Herald instances sharing one PostgreSQL database: exactly one bus is
   * created.
   *
   * @throws IllegalArgumentException when {@code name} is not a valid bus name
   * @throws StoreUnavailableException when the store fails, or all 65,536 ordinals are taken
   */
  Bus ensureBus(String name, String description);

  /** The bus named {@code name}, if it exists. */
  Optional<Bus> bus(String name);

  /** The bus with this ordinal, if one exists. */
  Optional<Bus> busByOrdinal(int ordinal);

  /** All buses, ordered by name. */
  List<Bus> buses();

  /**
   * Creates the bus (with the next free ordinal, as {@link #ensureBus}) or updates its description
   * and archive retention.
   *
   * @throws IllegalArgumentException when the name is not a valid bus name
   * @throws ConfigException.VersionMismatch when {@code ifMatch} is not the stored version
   */
  Bus putBus(BusSpecs.BusSpec spec, OptionalLong ifMatch, String changedBy);

  /** {@link #putBus(BusSpecs.BusSpec, OptionalLong, String)} recording no {@code changedBy}. */
  default Bus putBus(BusSpecs.BusSpec spec, OptionalLong ifMatch) {
    return putBus(spec, ifMatch, NOBODY);
  }

  /**
   * Deletes a bus that has no rules. Any bus may be deleted, {@code default} included; its ordinal
   * may be given to a later bus.
   *
   * @throws ConfigException.NotFound {@code BusNotFound} when it does not exist
   * @throws ConfigException.Conflict {@code BusHasRules}, naming its rules, when it has rules
   * @throws ConfigException.VersionMismatch when {@code ifMatch} is not the stored version
   */
  void deleteBus(String name, OptionalLong ifMatch);

  /** A page of the buses, by name (see {@link StateStore} for paging). */
  Page<Bus> listBuses(int limit, Optional<String> after);

  /**
   * Creates or replaces a target. Its secrets ({@code TargetTypes.secretPaths} of its type) are
   * stored sealed; the rest of its settings in clear. Returns the target as stored, secrets in
   * clear.
   *
   * @throws IllegalArgumentException when the name is not a valid target name
   * @throws ConfigException.VersionMismatch when {@code ifMatch} is not the stored version
   */
  Stored<TargetSpec> putTarget(TargetSpec spec, OptionalLong ifMatch, String changedBy);

  /** {@link #putTarget(TargetSpec, OptionalLong, String)} recording no {@code changedBy}. */
  default Stored<TargetSpec> putTarget(TargetSpec spec, OptionalLong ifMatch) {
    return putTarget(spec, ifMatch, NOBODY);
  }

  /**
   * The target named {@code name}, secrets in clear.
   *
   * @throws UnreadableSecretsException when its secrets were sealed with another key
   */
  Optional<Stored<TargetSpec>> target(String name);

  /** A page of the targets, by name, secrets in clear (see {@link StateStore} for paging). */
  Page<Stored<TargetSpec>> listTargets(int limit, Optional<String> after);

  /** Every target, by name, secrets in clear. */
  List<Stored<TargetSpec>> targets();

  /**
   * Deletes a target that no rule names (its dead letters stay).
   *
   * @throws ConfigException.NotFound {@code TargetNotFound} when it does not exist
   * @throws ConfigException.Conflict {@code TargetInUse}, naming the rules as {@code "bus/rule"},
   *     when rules still name it
   * @throws ConfigException.VersionMismatch when {@code ifMatch} is not the stored version
   */
  void deleteTarget(String name, OptionalLong ifMatch);

  /**
   * Creates or replaces a rule of an existing bus, naming existing targets only. The targets it
   * names are recorded in the same transaction, so that none of them can be deleted while the rule
   * names it.
   *
   * @throws IllegalArgumentException when the bus, rule or a target name is not valid
   * @throws ConfigException.NotFound {@code BusNotFound} when the bus does not exist
   * @throws ConfigException.Conflict {@code UnknownTarget}, naming every missing target
   * @throws ConfigException.VersionMismatch when {@code ifMatch} is not the stored version
   */
  Stored<RuleSpec> putRule(RuleSpec spec, OptionalLong ifMatch, String changedBy);

  /** {@link #putRule(RuleSpec, OptionalLong, String)} recording no {@code changedBy}. */
  default Stored<RuleSpec> putRule(RuleSpec spec, OptionalLong ifMatch) {
    return putRule(spec, ifMatch, NOBODY);
  }

  /** The rule {@code name} of {@code bus}. */
  Optional<Stored<RuleSpec>> rule(String bus, String name);

  /**
   * A page of the rules of {@code bus}, by name (see {@link StateStore} for paging).
   *
   * @throws ConfigException.NotFound {@code BusNotFound} when the bus does not exist
   */
  Page<Stored<RuleSpec>> listRules(String bus, int limit, Optional<String> after);

  /** Every rule of {@code bus}, by name; empty when the bus does not exist. */
  List<Stored<RuleSpec>> rules(String bus);

  /**
   * Deletes a rule; the targets it named may then be deleted.
   *
   * @throws ConfigException.NotFound {@code RuleNotFound} when the bus has no such rule
   * @throws ConfigException.VersionMismatch when {@code ifMatch} is not the stored version
   */
  void deleteRule(String bus, String name, OptionalLong ifMatch);
}
