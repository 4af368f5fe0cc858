package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.config.Page;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Who changed a bus, rule or target: recorded with every put, read back by every read. */
abstract class ChangedByContract extends ContractPart {
  static final OptionalLong ANY = OptionalLong.empty();

  @Test
  void aBusRecordsWhoCreatedItThenWhoLastChangedIt() {
    Bus created = store().putBus(Specs.bus("orders"), ANY, "hk_alice");

    Bus updated = store().putBus(Specs.bus("orders"), ANY, "anonymous");

    assertThat(created.changedBy()).contains("hk_alice");
    assertThat(updated.changedBy()).contains("anonymous");
    assertThat(store().bus("orders").orElseThrow().changedBy()).contains("anonymous");
    assertThat(store().listBuses(Page.MAX_LIMIT, Optional.empty()).items())
        .singleElement()
        .extracting(Bus::changedBy)
        .isEqualTo(Optional.of("anonymous"));
  }

  @Test
  void aBusHeraldCreatesItselfIsChangedByHerald() {
    assertThat(store().ensureBus("default", "The default bus").changedBy()).contains("herald");
  }

  @Test
  void aTargetRecordsWhoLastChangedIt() {
    store().putTarget(Specs.logTarget("hook"), ANY, "hk_alice");

    var updated = store().putTarget(Specs.logTarget("hook"), OptionalLong.of(1), "hk_bob");

    assertThat(updated.changedBy()).contains("hk_bob");
    assertThat(store().target("hook").orElseThrow().changedBy()).contains("hk_bob");
    assertThat(store().targets())
        .singleElement()
        .extracting(Stored::changedBy)
        .isEqualTo(Optional.of("hk_bob"));
  }

  @Test
  void aRuleRecordsWhoLastChangedIt() {
    store().putBus(Specs.bus("orders"), ANY, "hk_alice");
    store().putTarget(Specs.logTarget("hook"), ANY, "hk_alice");

    var created = store().putRule(Specs.rule("orders", "all", "hook"), ANY, "hk_alice");
    var updated = store().putRule(Specs.rule("orders", "all", "hook"), ANY, "herald");

    assertThat(created.changedBy()).contains("hk_alice");
    assertThat(updated.changedBy()).contains("herald");
    assertThat(store().rule("orders", "all").orElseThrow().changedBy()).contains("herald");
    assertThat(store().rules("orders"))
        .singleElement()
        .extracting(Stored::changedBy)
        .isEqualTo(Optional.of("herald"));
  }

  @Test
  void aPutNamingNobodyLeavesItUnknown() {
    store().putTarget(Specs.logTarget("hook"), ANY, "hk_alice");

    var updated = store().putTarget(Specs.logTarget("hook"), ANY);

    assertThat(updated.changedBy()).isEmpty();
    assertThat(store().putBus(Specs.bus("orders"), ANY).changedBy()).isEmpty();
  }
}
