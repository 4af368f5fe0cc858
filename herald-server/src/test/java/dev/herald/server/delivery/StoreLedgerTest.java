package dev.herald.server.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engine.delivery.AttemptResult;
import dev.herald.engine.delivery.Work;
import dev.herald.store.StateStore;
import dev.herald.store.StoreConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on a real SQLite store: what a scheduled retry keeps of its delivery. */
class StoreLedgerTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  @TempDir Path dir;
  StateStore store;
  StoreLedger ledger;

  @BeforeEach
  void open() {
    store = StateStore.open(StoreConfig.sqlite(dir));
    ledger = new StoreLedger(store, store, eventId -> Optional.empty(), "instance-1");
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Work work(String deliveryKey, int hops) {
    return new Work(
        "to-audit",
        deliveryKey,
        "01JD7Q0000000000000000000" + hops,
        "orders",
        "all",
        1,
        "{\"detail\":{}}".getBytes(UTF_8),
        true,
        Optional.of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
        Optional.of("o-1".getBytes(UTF_8)),
        NOW.minusSeconds(5),
        NOW,
        false,
        hops,
        Optional.empty());
  }

  private List<Work> retryAndClaim(Work work) {
    ledger.record(
        List.of(new AttemptResult.Retrying(work, NOW, NOW, "Timeout", "too slow", false)));
    return ledger.claimDue(NOW.plusSeconds(1), 10, Set.of());
  }

  @Test
  void aScheduledRetryKeepsTheHopsOfItsEvent() {
    List<Work> claimed = retryAndClaim(work("dk-hops", 5));

    assertThat(claimed).hasSize(1);
    Work retry = claimed.getFirst();
    assertThat(retry.hops()).isEqualTo(5);
    assertThat(retry.attempt()).isEqualTo(2);
    assertThat(retry.fromRetry()).isTrue();
    assertThat(retry.bus()).isEqualTo("orders");
    assertThat(retry.traceparent()).isEqualTo(work("dk-hops", 5).traceparent());
    assertThat(retry.ingestedAt()).isEqualTo(NOW.minusSeconds(5));
  }

  @Test
  void aScheduledRetryOfAnEventNoBusTargetRepublishedHasZeroHops() {
    List<Work> claimed = retryAndClaim(work("dk-plain", 0));

    assertThat(claimed).singleElement().extracting(Work::hops).isEqualTo(0);
  }

  /** Whether another instance could claim the retry of {@code key} at {@code at}. */
  private boolean claimableByAnother(Instant at) {
    return !store
        .claimDueRetries("instance-2", at, StoreLedger.RETRY_LEASE, 10, Set.of())
        .isEmpty();
  }

  @Test
  void aClaimedRetryIsRenewedUntilItsResultIsRecordedThenNoLonger() {
    Work retry = retryAndClaim(work("dk-lease", 0)).getFirst();
    Instant claimedAt = NOW.plusSeconds(1);

    Instant renewal = claimedAt.plus(StoreLedger.RENEW_EVERY);
    ledger.renewClaims(renewal);
    assertThat(claimableByAnother(claimedAt.plus(StoreLedger.RETRY_LEASE).plusSeconds(1)))
        .as("renewed: still held past its first lease")
        .isFalse();

    ledger.record(
        List.of(new AttemptResult.Retrying(retry, renewal, renewal, "Timeout", "again", false)));
    ledger.renewClaims(renewal.plus(StoreLedger.RENEW_EVERY));
    assertThat(claimableByAnother(renewal.plusSeconds(1)))
        .as("scheduled again: its claim was released, nobody renews it")
        .isTrue();
  }

  @Test
  void aCrashedInstancesClaimIsFreeOneLeaseAfterItsLastRenewal() {
    retryAndClaim(work("dk-crash", 0));
    Instant lastRenewal = NOW.plusSeconds(1).plus(StoreLedger.RENEW_EVERY);
    ledger.renewClaims(lastRenewal);
    // the instance dies here: no more renewals

    assertThat(claimableByAnother(lastRenewal.plus(StoreLedger.RETRY_LEASE))).isFalse();
    assertThat(claimableByAnother(lastRenewal.plus(StoreLedger.RETRY_LEASE).plusMillis(1)))
        .isTrue();
  }
}
