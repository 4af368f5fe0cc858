package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** Scheduled retries: due ones claimed oldest first, once per lease, paused targets skipped. */
abstract class RetryContract extends ContractPart {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(30);

  /** A retry of {@code target} due {@code dueSeconds} after T0. */
  static ScheduledRetry retry(String key, String target, long dueSeconds) {
    return new ScheduledRetry(
        key,
        target,
        T0.plusSeconds(dueSeconds),
        2,
        "EVENT-" + key,
        "placed",
        new RetryMetadata("orders", true, T0.minusSeconds(9), Optional.of("00-" + key), 3),
        ("{\"id\":\"EVENT-" + key + "\"}").getBytes(StandardCharsets.UTF_8),
        Optional.of(("order-" + key).getBytes(StandardCharsets.UTF_8)),
        T0.minusSeconds(5));
  }

  private List<ScheduledRetry> claim(Instant now, int limit, Set<String> paused) {
    return store().claimDueRetries("instance-a", now, LEASE, limit, paused);
  }

  private List<String> claimKeys(Instant now) {
    return claim(now, 100, Set.of()).stream().map(ScheduledRetry::deliveryKey).toList();
  }

  @Test
  void aClaimedRetryComesBackAsScheduled() {
    ScheduledRetry withKey = retry("k1", "hook", 10);
    ScheduledRetry withoutKey =
        new ScheduledRetry(
            "k2",
            "hook",
            T0,
            1,
            "E2",
            "placed",
            new RetryMetadata("", false, T0, Optional.empty(), 0),
            new byte[0],
            Optional.empty(),
            T0);
    store().scheduleRetries(List.of(withKey, withoutKey));

    assertThat(claim(T0.plusSeconds(10), 10, Set.of())).containsExactly(withoutKey, withKey);
  }

  @Test
  void onlyDueRetriesAreClaimedOldestFirstUpToTheLimit() {
    store()
        .scheduleRetries(
            List.of(
                retry("late", "hook", 30),
                retry("second", "hook", 20),
                retry("first", "mailer", 10),
                retry("third", "hook", 25)));

    assertThat(claimKeys(T0.plusSeconds(9))).isEmpty();
    assertThat(claim(T0.plusSeconds(25), 2, Set.of()))
        .extracting(ScheduledRetry::deliveryKey)
        .containsExactly("first", "second");
    assertThat(claimKeys(T0.plusSeconds(25))).containsExactly("third");
  }

  @Test
  void aClaimedRetryIsNotClaimedAgainWhileItsLeaseIsLive() {
    store().scheduleRetries(List.of(retry("k1", "hook", 0)));
    Instant claimedAt = T0.plusSeconds(1);
    assertThat(claimKeys(claimedAt)).containsExactly("k1");

    assertThat(claimKeys(claimedAt)).isEmpty();
    assertThat(claimKeys(claimedAt.plus(LEASE))).isEmpty();
    assertThat(store().claimDueRetries("instance-b", claimedAt.plus(LEASE), LEASE, 10, Set.of()))
        .isEmpty();

    Instant expired = claimedAt.plus(LEASE).plusMillis(1);
    assertThat(store().claimDueRetries("instance-b", expired, LEASE, 10, Set.of()))
        .extracting(ScheduledRetry::deliveryKey)
        .containsExactly("k1");
  }

  @Test
  void aRenewedClaimOutlivesItsFirstLeaseAndOnlyItsOwnerCanRenewIt() {
    store().scheduleRetries(List.of(retry("k1", "hook", 0), retry("k2", "hook", 0)));
    assertThat(claimKeys(T0)).containsExactly("k1", "k2");
    Instant renewedAt = T0.plus(LEASE).minusSeconds(1);

    assertThat(
            store().renewRetryClaims("instance-a", List.of("k1", "unknown"), renewedAt.plus(LEASE)))
        .isEqualTo(1);
    assertThat(store().renewRetryClaims("instance-b", List.of("k2"), renewedAt.plus(LEASE)))
        .isZero();
    assertThat(store().renewRetryClaims("instance-a", List.of(), renewedAt.plus(LEASE))).isZero();

    Instant pastFirstLease = T0.plus(LEASE).plusSeconds(1);
    assertThat(store().claimDueRetries("instance-b", pastFirstLease, LEASE, 10, Set.of()))
        .extracting(ScheduledRetry::deliveryKey)
        .as("k2 was not renewed: its lease ran out")
        .containsExactly("k2");
    assertThat(
            store()
                .claimDueRetries(
                    "instance-b", renewedAt.plus(LEASE).plusMillis(1), LEASE, 10, Set.of()))
        .extracting(ScheduledRetry::deliveryKey)
        .as("once its owner stops renewing, k1 is claimable again")
        .containsExactly("k1");
    assertThat(store().renewRetryClaims("instance-a", List.of("k1"), pastFirstLease.plus(LEASE)))
        .as("claimed by another since: no longer instance-a's to renew")
        .isZero();
  }

  @Test
  void retriesOfPausedTargetsAreSkipped() {
    store()
        .scheduleRetries(
            List.of(retry("h1", "hook", 0), retry("m1", "mailer", 0), retry("c1", "chat", 0)));

    assertThat(claim(T0, 10, Set.of("hook", "chat")))
        .extracting(ScheduledRetry::deliveryKey)
        .containsExactly("m1");
    assertThat(claim(T0, 10, Set.of("chat")))
        .extracting(ScheduledRetry::deliveryKey)
        .containsExactly("h1");
    assertThat(store().countRetries("chat")).isEqualTo(1);
  }

  @Test
  void completedRetriesAreGone() {
    store().scheduleRetries(List.of(retry("k1", "hook", 0), retry("k2", "hook", 0)));
    claim(T0, 10, Set.of());

    store().completeRetries(List.of("k1", "unknown"));

    assertThat(store().countRetries("hook")).isEqualTo(1);
    assertThat(claimKeys(T0.plus(LEASE).plusSeconds(1))).containsExactly("k2");
    store().completeRetries(List.of());
  }

  @Test
  void schedulingAgainReplacesTheRetryAndReleasesItsClaim() {
    store().scheduleRetries(List.of(retry("k1", "hook", 0)));
    claim(T0, 10, Set.of());

    ScheduledRetry next = retry("k1", "hook", 60);
    store().scheduleRetries(List.of(next));

    assertThat(claimKeys(T0.plusSeconds(59))).isEmpty();
    assertThat(claim(T0.plusSeconds(60), 10, Set.of())).containsExactly(next);
    assertThat(store().countRetries("hook")).isEqualTo(1);
  }

  @Test
  void countRetriesCountsOneTarget() {
    store()
        .scheduleRetries(
            List.of(retry("k1", "hook", 0), retry("k2", "hook", 999), retry("k3", "mailer", 0)));
    store().scheduleRetries(List.of());

    assertThat(store().countRetries("hook")).isEqualTo(2);
    assertThat(store().countRetries("mailer")).isEqualTo(1);
    assertThat(store().countRetries("nobody")).isZero();
  }

  @Test
  void claimsCheckTheirArguments() {
    assertThatThrownBy(() -> store().claimDueRetries("a", T0, Duration.ZERO, 1, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().claimDueRetries("a", T0, LEASE, 0, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentClaimersOfTwoStoresNeverGetTheSameRetry() throws Exception {
    List<ScheduledRetry> retries = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      retries.add(retry(String.format("k%03d", i), i % 2 == 0 ? "hook" : "mailer", i % 7));
    }
    store().scheduleRetries(retries);

    try (StateStore other = StateStore.open(config())) {
      List<Callable<List<String>>> claimers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        StateStore claimer = i % 2 == 0 ? store() : other;
        String owner = "claimer-" + i;
        claimers.add(() -> claimAll(claimer, owner));
      }

      List<String> claimed =
          StateStoreContract.concurrently(claimers).stream().flatMap(List::stream).toList();

      assertThat(claimed).doesNotHaveDuplicates().hasSize(300);
    }
  }

  /** Claims batches of 7 until none is left. */
  private static List<String> claimAll(StateStore claimer, String owner) {
    List<String> keys = new ArrayList<>();
    List<ScheduledRetry> batch;
    do {
      batch = claimer.claimDueRetries(owner, T0.plusSeconds(10), LEASE, 7, Set.of());
      batch.forEach(r -> keys.add(r.deliveryKey()));
    } while (!batch.isEmpty());
    return keys;
  }

  @Test
  void retriesSurviveReopen() {
    store().scheduleRetries(List.of(retry("k1", "hook", 0)));

    reopen();

    assertThat(claim(T0, 10, Set.of())).containsExactly(retry("k1", "hook", 0));
  }
}
