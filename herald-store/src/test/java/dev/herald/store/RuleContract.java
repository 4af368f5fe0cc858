package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.config.RuleSpec.RuleTarget;
import dev.herald.core.shaping.InputTransformer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rules: put, read, pages, delete, versions and If-Match, and the references to their bus and
 * targets, which the database itself keeps consistent.
 */
abstract class RuleContract extends ContractPart {
  static final OptionalLong ANY = OptionalLong.empty();

  @BeforeEach
  void busAndTargets() {
    store().ensureBus("orders", "");
    for (String target : List.of("audit-log", "hook", "mailer")) {
      store().putTarget(Specs.logTarget(target), ANY);
    }
  }

  @Test
  void putRuleStoresPatternTargetsAndTheirInputShaping() {
    RuleSpec spec =
        new RuleSpec(
            "orders",
            "placed",
            "{\"detail-type\":[\"OrderPlaced\"]}",
            false,
            "placed orders",
            List.of(
                new RuleTarget("hook", Optional.empty(), Optional.of("$.detail"), Optional.empty()),
                new RuleTarget(
                    "mailer",
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(
                        new InputTransformer(
                            Map.of("id", "$.detail.orderId"), "{\"order\": <id>}"))),
                new RuleTarget(
                    "audit-log",
                    Optional.of("{\"constant\":\"json\"}"),
                    Optional.empty(),
                    Optional.empty())));

    Stored<RuleSpec> stored = store().putRule(spec, ANY);

    assertThat(stored.spec()).isEqualTo(spec);
    assertThat(stored.version()).isEqualTo(1);
    assertThat(stored.updatedAt()).isEqualTo(stored.createdAt());
    assertThat(store().rule("orders", "placed")).contains(stored);
  }

  @Test
  void aRuleOfAMissingBusIsNotFound() {
    assertThatThrownBy(() -> store().putRule(Specs.rule("nope", "placed", "hook"), ANY))
        .isInstanceOfSatisfying(
            ConfigException.NotFound.class, e -> assertThat(e.code()).isEqualTo("BusNotFound"))
        .hasMessageContaining("bus 'nope' does not exist");
    assertThat(store().rule("nope", "placed")).isEmpty();
  }

  @Test
  void aRuleNamingMissingTargetsIsRefusedNamingThemAll() {
    RuleSpec spec = Specs.rule("orders", "placed", "zulu-missing", "hook", "alpha-missing");

    assertThatThrownBy(() -> store().putRule(spec, ANY))
        .isInstanceOfSatisfying(
            ConfigException.Conflict.class,
            e -> {
              assertThat(e.code()).isEqualTo("UnknownTarget");
              assertThat(e.names()).containsExactly("alpha-missing", "zulu-missing");
            })
        .hasMessageContaining("alpha-missing, zulu-missing");
    assertThat(store().rule("orders", "placed")).isEmpty();
  }

  @Test
  void aRuleWithoutTargetsIsStored() {
    assertThat(store().putRule(Specs.rule("orders", "idle"), ANY).spec().targets()).isEmpty();
  }

  @Test
  void putRuleAgainCountsTheVersionUpAndReplacesItsTargets() {
    Stored<RuleSpec> created =
        store().putRule(Specs.rule("orders", "placed", "hook", "mailer"), ANY);

    Stored<RuleSpec> updated =
        store().putRule(Specs.rule("orders", "placed", "mailer"), OptionalLong.of(1));

    assertThat(updated.version()).isEqualTo(2);
    assertThat(updated.spec().targetNames()).containsExactly("mailer");
    assertThat(updated.createdAt()).isEqualTo(created.createdAt());
    store().deleteTarget("hook", ANY); // no longer named
    assertThatThrownBy(() -> store().deleteTarget("mailer", ANY))
        .isInstanceOf(ConfigException.Conflict.class);
  }

  @Test
  void putRuleWithAStaleVersionFailsAndChangesNothing() {
    store().putRule(Specs.rule("orders", "placed", "hook"), ANY);
    Stored<RuleSpec> current = store().putRule(Specs.rule("orders", "placed", "mailer"), ANY);

    assertThatThrownBy(
            () -> store().putRule(Specs.rule("orders", "placed", "hook"), OptionalLong.of(1)))
        .isInstanceOf(ConfigException.VersionMismatch.class)
        .hasMessageContaining("rule 'placed' of bus 'orders'")
        .hasMessageContaining("version 2, not 1");
    assertThat(store().rule("orders", "placed")).contains(current);
    store().deleteTarget("hook", ANY); // the failed put did not name it
  }

  @Test
  void putRuleWithIfMatchOfAMissingRuleFailsAsVersionZero() {
    assertThatThrownBy(
            () -> store().putRule(Specs.rule("orders", "placed", "hook"), OptionalLong.of(2)))
        .isInstanceOf(ConfigException.VersionMismatch.class)
        .hasMessageContaining("does not exist");
    assertThat(store().rule("orders", "placed")).isEmpty();
  }

  @Test
  void putRuleRejectsInvalidNames() {
    assertThatThrownBy(() -> store().putRule(Specs.rule("orders", "bad name", "hook"), ANY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rule name");
    assertThatThrownBy(() -> store().putRule(Specs.rule("orders", "r", "bad/target"), ANY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target name");
  }

  @Test
  void deleteRuleFreesItsTargets() {
    store().putRule(Specs.rule("orders", "placed", "hook"), ANY);
    assertThatThrownBy(() -> store().deleteTarget("hook", ANY))
        .isInstanceOf(ConfigException.Conflict.class);

    store().deleteRule("orders", "placed", OptionalLong.of(1));

    assertThat(store().rule("orders", "placed")).isEmpty();
    store().deleteTarget("hook", ANY);
    assertThat(store().target("hook")).isEmpty();
  }

  @Test
  void deletingAMissingRuleIsNotFound() {
    assertThatThrownBy(() -> store().deleteRule("orders", "placed", ANY))
        .isInstanceOfSatisfying(
            ConfigException.NotFound.class, e -> assertThat(e.code()).isEqualTo("RuleNotFound"))
        .hasMessageContaining("'placed'");
    assertThatThrownBy(() -> store().deleteRule("orders", "placed", OptionalLong.of(1)))
        .isInstanceOf(ConfigException.VersionMismatch.class);
  }

  @Test
  void deleteRuleWithAStaleVersionFailsAndKeepsIt() {
    store().putRule(Specs.rule("orders", "placed", "hook"), ANY);
    store().putRule(Specs.rule("orders", "placed", "hook"), ANY);

    assertThatThrownBy(() -> store().deleteRule("orders", "placed", OptionalLong.of(1)))
        .isInstanceOf(ConfigException.VersionMismatch.class);
    assertThat(store().rule("orders", "placed")).isPresent();
  }

  @Test
  void listRulesPagesByNameWithCursorsWithinItsBus() {
    store().ensureBus("payments", "");
    store().putRule(Specs.rule("payments", "r-0", "hook"), ANY);
    store().putRule(Specs.rule("payments", "r-9", "hook"), ANY);
    for (String name : List.of("r-6", "r-2", "r-4", "r-0", "r-5", "r-1", "r-3")) {
      store().putRule(Specs.rule("orders", name, "hook"), ANY);
    }

    List<Page<Stored<RuleSpec>>> pages =
        allPages((limit, after) -> store().listRules("orders", limit, after), 3);

    assertThat(pages).hasSize(3);
    assertThat(pages.get(0).items())
        .extracting(r -> r.spec().name())
        .containsExactly("r-0", "r-1", "r-2");
    assertThat(pages.get(2).items()).extracting(r -> r.spec().name()).containsExactly("r-6");
    assertThat(pages.get(2).next()).isEmpty();
    assertThat(items(pages)).allSatisfy(r -> assertThat(r.spec().bus()).isEqualTo("orders"));
  }

  @Test
  void rulesListsEveryRuleOfTheBusByName() {
    store().putRule(Specs.rule("orders", "b", "hook"), ANY);
    store().putRule(Specs.rule("orders", "a", "mailer"), ANY);

    assertThat(store().rules("orders")).extracting(r -> r.spec().name()).containsExactly("a", "b");
    assertThat(store().rules("missing")).isEmpty();
  }

  @Test
  void listingTheRulesOfAMissingBusIsNotFound() {
    assertThatThrownBy(() -> store().listRules("missing", 10, Optional.empty()))
        .isInstanceOfSatisfying(
            ConfigException.NotFound.class, e -> assertThat(e.code()).isEqualTo("BusNotFound"));
  }

  @Test
  void theDatabaseItselfRefusesDanglingReferences() throws Exception {
    store().putRule(Specs.rule("orders", "placed", "hook"), ANY);

    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      assertThatThrownBy(
              () ->
                  s.executeUpdate(
                      "INSERT INTO rule_targets (bus, rule, target)"
                          + " VALUES ('orders', 'placed', 'missing')"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM targets WHERE name = 'hook'"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM buses WHERE name = 'orders'"))
          .isInstanceOf(SQLException.class);
    }
    assertThat(store().target("hook")).isPresent();
    assertThat(store().bus("orders")).isPresent();
  }

  @Test
  void rulesAndTheirReferencesSurviveReopen() {
    Stored<RuleSpec> placed = store().putRule(Specs.rule("orders", "placed", "hook"), ANY);

    reopen();

    assertThat(store().rule("orders", "placed")).contains(placed);
    assertThatThrownBy(() -> store().deleteTarget("hook", ANY))
        .isInstanceOf(ConfigException.Conflict.class);
    assertThat(store().putRule(Specs.rule("orders", "placed"), OptionalLong.of(1)).version())
        .isEqualTo(2);
  }
}
