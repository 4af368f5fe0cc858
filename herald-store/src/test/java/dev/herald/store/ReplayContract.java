package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.config.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Replays: created once per name and bus, progress recorded only by the instance that holds one,
 * leases taken over when they expire, ended once, and their deliveries kept for the journeys.
 */
abstract class ReplayContract extends ContractPart {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(30);

  private ReplayStore replays() {
    return store().replays();
  }

  static Replay replay(String bus, String name) {
    return new Replay(
        bus,
        name,
        Replay.RUNNING,
        T0.minusSeconds(3600),
        T0,
        List.of("placed"),
        Map.of(0, 10L, 1, 20L),
        Map.of(),
        Map.of(0, 15L, 1, 30L),
        0,
        15,
        Optional.empty(),
        Optional.empty(),
        T0,
        T0,
        Optional.empty(),
        Optional.of("hk_admin"));
  }

  private static ReplayDelivery delivery(String key, String eventId, String replay) {
    return new ReplayDelivery(
        key, eventId, "orders", replay, "placed", "hook", Optional.empty(), Optional.empty(), T0);
  }

  @Test
  void aReplayIsStoredOncePerBusAndName() {
    assertThat(replays().createReplay(replay("orders", "fix-1"), "a", T0.plus(LEASE))).isTrue();
    assertThat(replays().createReplay(replay("orders", "fix-1"), "b", T0.plus(LEASE))).isFalse();
    assertThat(replays().createReplay(replay("billing", "fix-1"), "a", T0.plus(LEASE))).isTrue();
    Replay stored = replays().replay("orders", "fix-1").orElseThrow();
    assertThat(stored).isEqualTo(replay("orders", "fix-1"));
    assertThat(replays().replay("orders", "fix-2")).isEmpty();
  }

  @Test
  void listsABussReplaysInPagesByName() {
    for (String name : List.of("c", "a", "b")) {
      replays().createReplay(replay("orders", name), "a", T0.plus(LEASE));
    }
    replays().createReplay(replay("billing", "z"), "a", T0.plus(LEASE));
    List<Page<Replay>> pages =
        allPages((limit, after) -> replays().replays("orders", limit, after), 2);
    assertThat(pages).hasSize(2);
    assertThat(items(pages).stream().map(Replay::name)).containsExactly("a", "b", "c");
  }

  @Test
  void progressIsRecordedOnlyByTheHolderOfARunningReplayAndSurvivesAReopen() {
    replays().createReplay(replay("orders", "fix"), "a", T0.plus(LEASE));
    Instant now = T0.plusSeconds(1);
    assertThat(
            replays()
                .recordReplayProgress(
                    "orders",
                    "fix",
                    "a",
                    Map.of(0, 12L, 1, 21L),
                    Map.of("slow", Map.of(0, 10L, 1, 20L)),
                    3,
                    Optional.of(T0.minusSeconds(100)),
                    now,
                    now.plus(LEASE),
                    List.of(delivery("k1", "E1", "fix"), delivery("k2", "E2", "fix")),
                    List.of()))
        .isTrue();
    assertThat(
            replays()
                .recordReplayProgress(
                    "orders",
                    "fix",
                    "b",
                    Map.of(0, 15L),
                    Map.of(),
                    9,
                    Optional.empty(),
                    now,
                    now,
                    List.of(),
                    List.of()))
        .isFalse();
    Replay stored = reopen().replays().replay("orders", "fix").orElseThrow();
    assertThat(stored.positions()).isEqualTo(Map.of(0, 12L, 1, 21L));
    assertThat(stored.lanes()).isEqualTo(Map.of("slow", Map.of(0, 10L, 1, 20L)));
    assertThat(stored.eventsReplayed()).isEqualTo(3);
    assertThat(stored.lastReplayedTime()).contains(T0.minusSeconds(100));
    assertThat(store().replays().replayDeliveriesOfEvent("E1"))
        .containsExactly(delivery("k1", "E1", "fix"));
  }

  @Test
  void aRunningReplayWhoseLeaseExpiredIsTakenOverAndAReleasedOneAtOnce() {
    replays().createReplay(replay("orders", "held"), "a", T0.plus(LEASE));
    replays().createReplay(replay("orders", "released"), "a", T0.plus(LEASE));
    replays().releaseReplay("orders", "released", "a");
    assertThat(replays().claimRunningReplays("b", T0, T0.plus(LEASE)))
        .extracting(Replay::name)
        .containsExactly("released");
    assertThat(
            replays()
                .claimRunningReplays(
                    "b", T0.plus(LEASE).plusSeconds(1), T0.plus(LEASE.multipliedBy(3))))
        .extracting(Replay::name)
        .containsExactly("held", "released");
    assertThat(
            replays()
                .claimRunningReplays(
                    "a", T0.plus(LEASE).plusSeconds(2), T0.plus(LEASE.multipliedBy(3))))
        .isEmpty();
  }

  @Test
  void aReplayEndsOnceAndThenNoLongerRecordsProgress() {
    replays().createReplay(replay("orders", "fix"), "a", T0.plus(LEASE));
    Replay cancelled =
        replays()
            .finishReplay("orders", "fix", Replay.CANCELLED, Optional.empty(), T0.plusSeconds(5))
            .orElseThrow();
    assertThat(cancelled.state()).isEqualTo(Replay.CANCELLED);
    assertThat(cancelled.finishedAt()).contains(T0.plusSeconds(5));
    Replay again =
        replays()
            .finishReplay("orders", "fix", Replay.COMPLETED, Optional.empty(), T0.plusSeconds(6))
            .orElseThrow();
    assertThat(again.state()).isEqualTo(Replay.CANCELLED);
    assertThat(
            replays()
                .recordReplayProgress(
                    "orders",
                    "fix",
                    "a",
                    Map.of(0, 15L),
                    Map.of(),
                    5,
                    Optional.empty(),
                    T0.plusSeconds(7),
                    T0.plus(LEASE),
                    List.of(delivery("k9", "E9", "fix")),
                    List.of()))
        .isFalse();
    assertThat(replays().replayDeliveriesOfEvent("E9")).hasSize(1); // made: kept for the journey
    assertThat(replays().claimRunningReplays("b", T0.plusSeconds(100), T0.plusSeconds(200)))
        .isEmpty();
    assertThat(replays().finishReplay("orders", "none", Replay.FAILED, Optional.of("x"), T0))
        .isEmpty();
  }

  @Test
  void replayedDeliveriesArePurgedByAge() {
    replays().createReplay(replay("orders", "fix"), "a", T0.plus(LEASE));
    replays()
        .recordReplayProgress(
            "orders",
            "fix",
            "a",
            Map.of(),
            Map.of(),
            0,
            Optional.empty(),
            T0,
            T0.plus(LEASE),
            List.of(delivery("k1", "E1", "fix")),
            List.of());
    assertThat(replays().purgeReplayDeliveriesBefore(T0)).isZero();
    assertThat(replays().purgeReplayDeliveriesBefore(T0.plusMillis(1))).isEqualTo(1);
    assertThat(replays().replayDeliveriesOfEvent("E1")).isEmpty();
  }

  @Test
  void aBatchAddsTheDeadLettersOfItsShapingFailuresWithItsDeliveriesEvenOnceCancelled() {
    replays().createReplay(replay("orders", "fix"), "a", T0.plus(LEASE));
    ReplayDelivery failed =
        new ReplayDelivery(
            "k5",
            "E5",
            "orders",
            "fix",
            "placed",
            "hook",
            Optional.of("InputTemplateFailed"),
            Optional.of("no field"),
            T0);
    DeadLetter letter =
        new DeadLetter(
            null,
            "hook",
            "k5",
            "E5",
            "placed",
            "{\"id\":\"E5\"}",
            0,
            "InputTemplateFailed",
            "no field",
            T0,
            T0);
    replays().finishReplay("orders", "fix", Replay.CANCELLED, Optional.empty(), T0);
    assertThat(
            replays()
                .recordReplayProgress(
                    "orders",
                    "fix",
                    "a",
                    Map.of(0, 11L),
                    Map.of(),
                    1,
                    Optional.empty(),
                    T0,
                    T0.plus(LEASE),
                    List.of(failed),
                    List.of(letter)))
        .isFalse();
    assertThat(replays().replayDeliveriesOfEvent("E5")).containsExactly(failed);
    List<DeadLetter> letters = store().deadLetters("hook", 10, Optional.empty()).items();
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).deliveryKey()).isEqualTo("k5");
    assertThat(letters.get(0).errorCode()).isEqualTo("InputTemplateFailed");
  }
}
