package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import dev.herald.core.config.TargetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** Targets: put, read, pages, delete, versions and If-Match, and rules that name them. */
abstract class TargetContract extends ContractPart {
  static final OptionalLong ANY = OptionalLong.empty();

  @Test
  void putTargetStoresTheSpecAtVersionOne() {
    TargetSpec spec = Specs.webhook("orders-hook", "whsec_one");

    Stored<TargetSpec> stored = store().putTarget(spec, ANY);

    assertThat(stored.spec()).isEqualTo(spec);
    assertThat(stored.version()).isEqualTo(1);
    assertThat(stored.updatedAt()).isEqualTo(stored.createdAt());
    assertThat(store().target("orders-hook")).contains(stored);
  }

  @Test
  void everyFieldOfATargetIsStored() {
    TargetSpec spec =
        new TargetSpec(
            "mailer",
            "email",
            Specs.json(
                "{\"smtp\": {\"host\": \"mail.example.com\", \"port\": 587, \"tls\": \"starttls\","
                    + " \"username\": \"u\", \"password\": \"p4ss\"}, \"from\": \"a@example.com\","
                    + " \"to\": [\"b@example.com\"], \"subject\": \"{{detail.orderId}}\"}"),
            false,
            1234,
            new TargetSpec.RetryPolicy(3, 600, 50, 1.5, 9000),
            7,
            Optional.of(2.5),
            new TargetSpec.CircuitPolicy(false, 50, 5, 10),
            true);

    store().putTarget(spec, ANY);

    assertThat(store().target("mailer").map(Stored::spec)).contains(spec);
  }

  @Test
  void putTargetAgainCountsTheVersionUpAndKeepsCreatedAt() {
    Stored<TargetSpec> created = store().putTarget(Specs.webhook("hook", "whsec_1"), ANY);
    TargetSpec changed = Specs.webhook("hook", "whsec_2");

    Stored<TargetSpec> updated = store().putTarget(changed, OptionalLong.of(1));

    assertThat(updated.version()).isEqualTo(2);
    assertThat(updated.spec()).isEqualTo(changed);
    assertThat(updated.createdAt()).isEqualTo(created.createdAt());
    assertThat(updated.updatedAt()).isAfterOrEqualTo(created.updatedAt());
    assertThat(store().putTarget(changed, ANY).version()).isEqualTo(3);
  }

  @Test
  void putTargetWithAStaleVersionFailsAndChangesNothing() {
    store().putTarget(Specs.webhook("hook", "whsec_1"), ANY);
    Stored<TargetSpec> current = store().putTarget(Specs.webhook("hook", "whsec_2"), ANY);

    assertThatThrownBy(
            () -> store().putTarget(Specs.webhook("hook", "whsec_3"), OptionalLong.of(1)))
        .isInstanceOf(ConfigException.VersionMismatch.class)
        .hasMessageContaining("target 'hook'")
        .hasMessageContaining("version 2, not 1");
    assertThat(store().target("hook")).contains(current);
  }

  @Test
  void putTargetWithIfMatchOfAMissingTargetFailsAsVersionZero() {
    assertThatThrownBy(() -> store().putTarget(Specs.logTarget("log"), OptionalLong.of(1)))
        .isInstanceOf(ConfigException.VersionMismatch.class)
        .hasMessageContaining("does not exist");
    assertThat(store().target("log")).isEmpty();
  }

  @Test
  void putTargetRejectsInvalidNames() {
    assertThatThrownBy(() -> store().putTarget(Specs.logTarget("a/b"), ANY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target name");
  }

  @Test
  void anUnknownTargetIsEmpty() {
    assertThat(store().target("nope")).isEmpty();
  }

  @Test
  void listTargetsPagesByNameWithCursors() {
    for (String name : List.of("t-5", "t-1", "t-3", "t-0", "t-6", "t-2", "t-4")) {
      store().putTarget(Specs.logTarget(name), ANY);
    }

    List<Page<Stored<TargetSpec>>> pages = allPages(store()::listTargets, 3);

    assertThat(pages).hasSize(3);
    assertThat(pages.get(0).items())
        .extracting(t -> t.spec().name())
        .containsExactly("t-0", "t-1", "t-2");
    assertThat(pages.get(1).items())
        .extracting(t -> t.spec().name())
        .containsExactly("t-3", "t-4", "t-5");
    assertThat(pages.get(2).items()).extracting(t -> t.spec().name()).containsExactly("t-6");
    assertThat(pages.get(2).next()).isEmpty();
    assertThat(store().targets()).extracting(t -> t.spec().name()).isSorted().hasSize(7);
  }

  @Test
  void namesSortByteByByteOnEveryDatabase() {
    for (String name : List.of("b", "a_2", "A", "a-1", "a.3", "a")) {
      store().putTarget(Specs.logTarget(name), ANY);
    }

    assertThat(store().targets())
        .extracting(t -> t.spec().name())
        .containsExactly("A", "a", "a-1", "a.3", "a_2", "b");
  }

  @Test
  void deleteTargetRemovesIt() {
    store().putTarget(Specs.logTarget("log"), ANY);

    store().deleteTarget("log", OptionalLong.of(1));

    assertThat(store().target("log")).isEmpty();
    assertThat(store().targets()).isEmpty();
  }

  @Test
  void deletingAMissingTargetIsNotFound() {
    assertThatThrownBy(() -> store().deleteTarget("log", ANY))
        .isInstanceOfSatisfying(
            ConfigException.NotFound.class, e -> assertThat(e.code()).isEqualTo("TargetNotFound"))
        .hasMessageContaining("target 'log' does not exist");
    assertThatThrownBy(() -> store().deleteTarget("log", OptionalLong.of(1)))
        .isInstanceOf(ConfigException.VersionMismatch.class);
  }

  @Test
  void deleteTargetWithAStaleVersionFailsAndKeepsIt() {
    store().putTarget(Specs.logTarget("log"), ANY);
    store().putTarget(Specs.logTarget("log"), ANY);

    assertThatThrownBy(() -> store().deleteTarget("log", OptionalLong.of(1)))
        .isInstanceOf(ConfigException.VersionMismatch.class);
    assertThat(store().target("log")).isPresent();
  }

  @Test
  void aTargetThatRulesNameCannotBeDeletedAndTheConflictNamesThemAsBusSlashRule() {
    store().ensureBus("payments", "");
    store().ensureBus("orders", "");
    store().putTarget(Specs.logTarget("hook"), ANY);
    store().putTarget(Specs.logTarget("other"), ANY);
    store().putRule(Specs.rule("payments", "settled", "hook"), ANY);
    store().putRule(Specs.rule("orders", "placed", "hook"), ANY);
    store().putRule(Specs.rule("orders", "cancelled", "other", "hook"), ANY);
    store().putRule(Specs.rule("orders", "shipped", "other"), ANY);

    assertThatThrownBy(() -> store().deleteTarget("hook", ANY))
        .isInstanceOfSatisfying(
            ConfigException.Conflict.class,
            e -> {
              assertThat(e.code()).isEqualTo("TargetInUse");
              assertThat(e.names())
                  .containsExactly("orders/cancelled", "orders/placed", "payments/settled");
            })
        .hasMessageContaining("orders/cancelled, orders/placed, payments/settled");
    assertThat(store().target("hook")).isPresent();
  }

  @Test
  void concurrentPutsWithTheSameIfMatchLetExactlyOneWin() throws Exception {
    store().putTarget(Specs.webhook("hook", "whsec_0"), ANY);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      TargetSpec spec = Specs.webhook("hook", "whsec_" + i);
      tasks.add(
          () -> {
            try {
              store().putTarget(spec, OptionalLong.of(1));
              return true;
            } catch (ConfigException.VersionMismatch e) {
              return false;
            }
          });
    }

    List<Boolean> won = StateStoreContract.concurrently(tasks);

    assertThat(won).containsOnlyOnce(true);
    assertThat(store().target("hook").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void concurrentPutsFromTwoStoresWithoutIfMatchEachMakeOneVersion() throws Exception {
    try (StateStore other = StateStore.open(config())) {
      List<StateStore> stores = List.of(store(), other);
      List<Callable<Long>> tasks = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        StateStore target = stores.get(i % 2);
        TargetSpec spec = Specs.webhook("hook", "whsec_" + i);
        tasks.add(() -> target.putTarget(spec, ANY).version());
      }

      List<Long> versions = StateStoreContract.concurrently(tasks);

      assertThat(versions)
          .doesNotHaveDuplicates()
          .allSatisfy(v -> assertThat(v).isBetween(1L, 20L));
      assertThat(other.target("hook").orElseThrow().version()).isEqualTo(20);
    }
  }

  @Test
  void targetsSurviveReopen() {
    store().putTarget(Specs.logTarget("log"), ANY);
    Stored<TargetSpec> hook = store().putTarget(Specs.webhook("hook", "whsec_1"), ANY);

    reopen();

    assertThat(store().target("hook")).contains(hook);
    assertThat(store().targets()).extracting(t -> t.spec().name()).containsExactly("hook", "log");
  }
}
