package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routings: what the router did with each event, upserted by event id, read back and purged. */
abstract class RoutingContract extends ContractPart {
  private static final Logger log = LoggerFactory.getLogger(RoutingContract.class);
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static RoutedDelivery pending(String rule, String target, String key) {
    return new RoutedDelivery(
        rule, target, key, DeliveryStatus.PENDING, Optional.empty(), Optional.empty());
  }

  static RoutedDelivery failed(String rule, String target, String key, String code) {
    return new RoutedDelivery(
        rule,
        target,
        key,
        DeliveryStatus.DEAD_LETTERED,
        Optional.of(code),
        Optional.of(code + ": \"why\""));
  }

  static Routing routing(String eventId, Instant at, RoutedDelivery... deliveries) {
    return new Routing(eventId, "orders", at, List.of(deliveries));
  }

  @Test
  void aRecordedRoutingIsReadBackByEventId() {
    Routing routing =
        routing(
            "EVENT-1",
            T0,
            pending("placed", "hook", "key-1"),
            failed("placed", "mailer", "key-2", "TransformError"));

    store().recordRoutings(List.of(routing));

    assertThat(store().routing("EVENT-1")).contains(routing);
    assertThat(store().routing("EVENT-2")).isEmpty();
  }

  @Test
  void anEventThatMatchedNoRuleHasARoutingWithoutDeliveries() {
    store().recordRoutings(List.of(routing("EVENT-1", T0)));

    assertThat(store().routing("EVENT-1").orElseThrow().deliveries()).isEmpty();
  }

  @Test
  void recordingAnEventAgainReplacesItsRouting() {
    store().recordRoutings(List.of(routing("EVENT-1", T0, pending("placed", "hook", "k1"))));
    Routing again = routing("EVENT-1", T0.plusSeconds(5), pending("placed", "mailer", "k2"));

    store().recordRoutings(List.of(again, routing("EVENT-2", T0)));

    assertThat(store().routing("EVENT-1")).contains(again);
    assertThat(store().routing("EVENT-2")).isPresent();
  }

  @Test
  void withinOneCallTheLastRoutingOfAnEventWins() {
    Routing last = routing("EVENT-1", T0, pending("placed", "mailer", "k2"));

    store().recordRoutings(List.of(routing("EVENT-1", T0, pending("placed", "hook", "k1")), last));

    assertThat(store().routing("EVENT-1")).contains(last);
  }

  @Test
  void recordingNoRoutingsDoesNothing() {
    store().recordRoutings(List.of());

    assertThat(store().purgeRoutingsBefore(T0.plusSeconds(3600))).isZero();
  }

  @Test
  void purgeDeletesOnlyRoutingsRoutedBeforeTheCutoff() {
    store()
        .recordRoutings(
            List.of(
                routing("OLD-1", T0),
                routing("OLD-2", T0.plusSeconds(1)),
                routing("KEPT", T0.plusSeconds(2))));

    int purged = store().purgeRoutingsBefore(T0.plusSeconds(2));

    assertThat(purged).isEqualTo(2);
    assertThat(store().routing("OLD-1")).isEmpty();
    assertThat(store().routing("OLD-2")).isEmpty();
    assertThat(store().routing("KEPT")).isPresent();
    assertThat(store().purgeRoutingsBefore(T0.plusSeconds(2))).isZero();
  }

  @Test
  void maintenanceRemovesRoutingsOlderThanTheRetentionAndKeepsRecentOnes() {
    Instant now = JournalContract.NOW;
    Instant tenDaysAgo = now.minus(Duration.ofDays(10));
    Instant sixDaysAgo = now.minus(Duration.ofDays(6));
    String old = JournalContract.eventIdAt(tenDaysAgo, 1);
    String sixDays = JournalContract.eventIdAt(sixDaysAgo, 2);
    String recent = JournalContract.eventIdAt(now, 3);
    store().maintainJournal(tenDaysAgo, JournalContract.RETENTION);
    store()
        .recordRoutings(
            List.of(
                routing(old, tenDaysAgo, pending("placed", "hook", "k1")),
                routing("EVENT-legacy", tenDaysAgo),
                routing(sixDays, sixDaysAgo)));

    store().maintainJournal(now, JournalContract.RETENTION);
    store().recordRoutings(List.of(routing(recent, now)));
    store().maintainJournal(now.plus(Duration.ofHours(1)), JournalContract.RETENTION);

    assertThat(store().routing(old)).isEmpty();
    assertThat(store().routing("EVENT-legacy")).isEmpty();
    assertThat(store().routing(sixDays)).isPresent();
    assertThat(store().routing(recent)).isPresent();
  }

  @Test
  void routingsOfEveryIngestionDayAreReadBackAndReplaced() {
    Instant now = JournalContract.NOW;
    store().maintainJournal(now, JournalContract.RETENTION);
    List<Routing> routings = new ArrayList<>();
    long offset = 0;
    for (Instant ingested :
        List.of(
            now.minus(Duration.ofDays(1)),
            now,
            now.plus(Duration.ofDays(1)),
            Instant.parse("2001-01-01T00:00:00Z"),
            Instant.parse("2090-01-01T00:00:00Z"))) {
      routings.add(routing(JournalContract.eventIdAt(ingested, offset++), ingested));
    }
    store().recordRoutings(routings);

    store().maintainJournal(now.plus(Duration.ofDays(1)), JournalContract.RETENTION);
    List<Routing> again = new ArrayList<>();
    for (Routing r : routings) {
      again.add(routing(r.eventId(), r.routedAt().plusSeconds(5), pending("placed", "hook", "k")));
    }
    store().recordRoutings(again);

    for (Routing r : again) {
      assertThat(store().routing(r.eventId())).contains(r);
    }
  }

  /** A write-rate sanity check, not a benchmark: no timing is asserted. */
  @Test
  void twentyThousandRoutingsInBatchesOfFiveHundredAllLand() {
    long started = System.nanoTime();
    for (int batch = 0; batch < 40; batch++) {
      List<Routing> routings = new ArrayList<>(500);
      for (int i = 0; i < 500; i++) {
        int n = batch * 500 + i;
        routings.add(
            routing(
                "EVENT-" + n,
                T0.plusMillis(n),
                pending("placed", "hook", "key-" + n),
                pending("placed", "mailer", "key-m-" + n)));
      }
      store().recordRoutings(routings);
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    log.info("{}: 20,000 routings recorded in {} ms", store().kind(), millis);

    for (int n : new int[] {0, 499, 500, 12_345, 19_999}) {
      assertThat(store().routing("EVENT-" + n).orElseThrow().deliveries())
          .extracting(RoutedDelivery::deliveryKey)
          .containsExactly("key-" + n, "key-m-" + n);
    }
    assertThat(store().purgeRoutingsBefore(T0.plusSeconds(3600))).isEqualTo(20_000);
    assertThat(store().routing("EVENT-19999")).isEmpty();
  }

  @Test
  void routingsFromManyThreadsAllLand() throws Exception {
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int t = 0; t < 20; t++) {
      int thread = t;
      tasks.add(
          () -> {
            for (int call = 0; call < 5; call++) {
              List<Routing> routings = new ArrayList<>();
              for (int i = 0; i < 20; i++) {
                routings.add(routing(thread + "-" + call + "-" + i, T0));
              }
              store().recordRoutings(routings);
            }
            return thread;
          });
    }

    StateStoreContract.concurrently(tasks);

    assertThat(store().routing("0-0-0")).isPresent();
    assertThat(store().routing("19-4-19")).isPresent();
    assertThat(store().purgeRoutingsBefore(T0.plusSeconds(1))).isEqualTo(20 * 5 * 20);
  }

  @Test
  void routingsSurviveReopen() {
    Routing routing = routing("EVENT-1", T0, failed("placed", "hook", "k1", "TransformError"));
    store().recordRoutings(List.of(routing));

    reopen();

    assertThat(store().routing("EVENT-1")).contains(routing);
  }
}
