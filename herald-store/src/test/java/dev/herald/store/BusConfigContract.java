package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.config.BusSpecs.BusSpec;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Buses as the admin API writes them: put, delete, pages, versions and If-Match. */
abstract class BusConfigContract extends ContractPart {
  static final OptionalLong ANY = OptionalLong.empty();

  @Test
  void putBusCreatesABusAtVersionOne() {
    Bus bus = store().putBus(new BusSpec("orders", "order events", 30), ANY);

    assertThat(bus.name()).isEqualTo("orders");
    assertThat(bus.description()).isEqualTo("order events");
    assertThat(bus.archiveRetentionDays()).isEqualTo(30);
    assertThat(bus.version()).isEqualTo(1);
    assertThat(bus.updatedAt()).isEqualTo(bus.createdAt());
    assertThat(store().bus("orders")).contains(bus);
  }

  @Test
  void putBusGivesANewBusTheNextFreeOrdinal() {
    Bus first = store().ensureBus("default", "");

    Bus second = store().putBus(Specs.bus("orders"), ANY);

    assertThat(second.ordinal()).isEqualTo(first.ordinal() + 1);
    assertThat(store().busByOrdinal(second.ordinal())).contains(second);
  }

  @Test
  void putBusUpdatesDescriptionAndRetentionAndCountsTheVersionUp() {
    Bus created = store().putBus(new BusSpec("orders", "old", 7), ANY);

    Bus updated = store().putBus(new BusSpec("orders", "new", 14), OptionalLong.of(1));
    Bus again = store().putBus(new BusSpec("orders", "newer", 21), ANY);

    assertThat(updated.version()).isEqualTo(2);
    assertThat(updated.description()).isEqualTo("new");
    assertThat(updated.archiveRetentionDays()).isEqualTo(14);
    assertThat(updated.ordinal()).isEqualTo(created.ordinal());
    assertThat(updated.createdAt()).isEqualTo(created.createdAt());
    assertThat(updated.updatedAt()).isAfterOrEqualTo(created.updatedAt());
    assertThat(again.version()).isEqualTo(3);
    assertThat(store().bus("orders")).contains(again);
  }

  @Test
  void putBusOfABusMadeByEnsureBusUpdatesIt() {
    Bus ensured = store().ensureBus("default", "The default bus");

    Bus put = store().putBus(new BusSpec("default", "mine", 3), OptionalLong.of(1));

    assertThat(put.ordinal()).isEqualTo(ensured.ordinal());
    assertThat(put.version()).isEqualTo(2);
  }

  @Test
  void putBusWithAStaleVersionFailsAndChangesNothing() {
    store().putBus(new BusSpec("orders", "first", 7), ANY);
    Bus current = store().putBus(new BusSpec("orders", "second", 7), ANY);

    assertThatThrownBy(() -> store().putBus(new BusSpec("orders", "third", 7), OptionalLong.of(1)))
        .isInstanceOf(ConfigException.VersionMismatch.class)
        .hasMessageContaining("bus 'orders'")
        .hasMessageContaining("version 2, not 1");
    assertThat(store().bus("orders")).contains(current);
  }

  @Test
  void putBusWithIfMatchOfAMissingBusFailsAsVersionZero() {
    assertThatThrownBy(() -> store().putBus(Specs.bus("orders"), OptionalLong.of(1)))
        .isInstanceOf(ConfigException.VersionMismatch.class)
        .hasMessageContaining("does not exist");
    assertThat(store().bus("orders")).isEmpty();
  }

  @Test
  void ifMatchZeroCreatesAMissingBusOnly() {
    assertThat(store().putBus(Specs.bus("orders"), OptionalLong.of(0)).version()).isEqualTo(1);

    assertThatThrownBy(() -> store().putBus(Specs.bus("orders"), OptionalLong.of(0)))
        .isInstanceOf(ConfigException.VersionMismatch.class);
  }

  @Test
  void putBusRejectsInvalidNames() {
    assertThatThrownBy(() -> store().putBus(Specs.bus("has space"), ANY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bus name");
  }

  @Test
  void deleteBusRemovesItAndAnotherBusMayTakeTheName() {
    store().putBus(Specs.bus("orders"), ANY);

    store().deleteBus("orders", OptionalLong.of(1));

    assertThat(store().bus("orders")).isEmpty();
    assertThat(store().buses()).isEmpty();
    assertThat(store().putBus(Specs.bus("orders"), ANY).version()).isEqualTo(1);
  }

  @Test
  void deletingAMissingBusIsNotFound() {
    assertThatThrownBy(() -> store().deleteBus("orders", ANY))
        .isInstanceOfSatisfying(
            ConfigException.NotFound.class, e -> assertThat(e.code()).isEqualTo("BusNotFound"))
        .hasMessageContaining("bus 'orders' does not exist");
  }

  @Test
  void deletingAMissingBusWithIfMatchIsAVersionMismatch() {
    assertThatThrownBy(() -> store().deleteBus("orders", OptionalLong.of(3)))
        .isInstanceOf(ConfigException.VersionMismatch.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void deleteBusWithAStaleVersionFailsAndKeepsIt() {
    store().putBus(Specs.bus("orders"), ANY);
    Bus current = store().putBus(Specs.bus("orders"), ANY);

    assertThatThrownBy(() -> store().deleteBus("orders", OptionalLong.of(1)))
        .isInstanceOf(ConfigException.VersionMismatch.class);
    assertThat(store().bus("orders")).contains(current);
  }

  @Test
  void aBusWithRulesCannotBeDeletedAndTheConflictNamesItsRulesByName() {
    store().putBus(Specs.bus("orders"), ANY);
    store().putTarget(Specs.logTarget("log"), ANY);
    for (String rule : List.of("zeta", "alpha", "mid")) {
      store().putRule(Specs.rule("orders", rule, "log"), ANY);
    }

    assertThatThrownBy(() -> store().deleteBus("orders", ANY))
        .isInstanceOfSatisfying(
            ConfigException.Conflict.class,
            e -> {
              assertThat(e.code()).isEqualTo("BusHasRules");
              assertThat(e.names()).containsExactly("alpha", "mid", "zeta");
            })
        .hasMessageContaining("alpha, mid, zeta");
    assertThat(store().bus("orders")).isPresent();

    for (String rule : List.of("zeta", "alpha", "mid")) {
      store().deleteRule("orders", rule, ANY);
    }
    store().deleteBus("orders", ANY);
    assertThat(store().bus("orders")).isEmpty();
  }

  @Test
  void theDefaultBusIsDeletedLikeAnyOther() {
    store().ensureBus("default", "The default bus");

    store().deleteBus("default", OptionalLong.of(1));

    assertThat(store().bus("default")).isEmpty();
  }

  @Test
  void listBusesPagesByNameWithCursors() {
    for (String name : List.of("bus-4", "bus-0", "bus-6", "bus-2", "bus-1", "bus-5", "bus-3")) {
      store().putBus(Specs.bus(name), ANY);
    }

    List<Page<Bus>> pages = allPages(store()::listBuses, 3);

    assertThat(pages).hasSize(3);
    assertThat(pages.get(0).items())
        .extracting(Bus::name)
        .containsExactly("bus-0", "bus-1", "bus-2");
    assertThat(pages.get(0).next()).contains(Page.cursorAfter("bus-2"));
    assertThat(pages.get(2).items()).extracting(Bus::name).containsExactly("bus-6");
    assertThat(pages.get(2).next()).isEmpty();
    assertThat(items(pages)).extracting(Bus::name).isSorted().hasSize(7);
  }

  @Test
  void aPageThatEndsTheListExactlyHasNoNext() {
    store().putBus(Specs.bus("a"), ANY);
    store().putBus(Specs.bus("b"), ANY);

    assertThat(store().listBuses(2, Optional.empty()).next()).isEmpty();
    assertThat(store().listBuses(1, Optional.of("b")).items()).isEmpty();
  }

  @Test
  void listBusesRejectsALimitOutsideOneToTheMaximum() {
    assertThatThrownBy(() -> store().listBuses(0, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> store().listBuses(Page.MAX_LIMIT + 1, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void busConfigurationSurvivesReopen() {
    store().putBus(Specs.bus("orders"), ANY);
    Bus updated = store().putBus(new BusSpec("orders", "changed", 9), ANY);

    reopen();

    assertThat(store().bus("orders")).contains(updated);
    assertThat(store().putBus(Specs.bus("orders"), OptionalLong.of(2)).version()).isEqualTo(3);
  }
}
