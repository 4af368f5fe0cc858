package dev.herald.store;

import static dev.herald.store.DeliveryStatus.DEAD_LETTERED;
import static dev.herald.store.DeliveryStatus.DELIVERED;
import static dev.herald.store.DeliveryStatus.RETRYING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The operations of several steps are one transaction each: a statement that fails after the first
 * steps ran (a fault injected in the database) leaves the store as it was, nothing lost and nothing
 * half-applied, and the same call succeeds once the fault is gone.
 */
abstract class OneTransactionContract extends ContractPart {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration LEASE = Duration.ofMinutes(1);

  private List<String> claimableRetries(Instant now) {
    return store().claimDueRetries("test", now, LEASE, 1000, Set.of()).stream()
        .map(ScheduledRetry::deliveryKey)
        .sorted()
        .toList();
  }

  private List<DeadLetter> deadLetters(String target) {
    return store().deadLetters(target, 1000, Optional.empty()).items();
  }

  /**
   * A batch of results: "dead" dead-lettered from a scheduled retry, "again" failed and scheduled,
   * "done" delivered from a scheduled retry, and "boom" delivered (the entry a fault may break).
   */
  private static DeliveryResults batch() {
    return new DeliveryResults(
        List.of(
            JournalContract.entry("dead", DEAD_LETTERED, 8),
            JournalContract.entry("again", RETRYING, 1),
            JournalContract.entry("done", DELIVERED, 3),
            JournalContract.entry("boom", DELIVERED, 1)),
        List.of(RetryContract.retry("again", "hook", 10)),
        List.of(DeadLetterContract.letter("hook", "dead")),
        List.of("dead", "done"));
  }

  /** Retries of "dead" and "done" scheduled before the batch, as the scheduler had claimed them. */
  private void scheduleEarlierRetries() {
    store()
        .scheduleRetries(
            List.of(
                RetryContract.retry("dead", "hook", 0), RetryContract.retry("done", "hook", 0)));
  }

  @Test
  void resultsWhoseLastStepFailsLeaveNoTraceAndCanBeRecordedAgain() throws Exception {
    scheduleEarlierRetries();
    Instant later = T0.plusSeconds(3600);

    try (AutoCloseable fault = failInserts("journal", "delivery_key", "boom")) {
      assertThatThrownBy(() -> store().recordResults(batch()))
          .isInstanceOf(StoreUnavailableException.class);
    }

    // the dead letter, the new retry and the completions ran before the journal: all undone
    assertThat(deadLetters("hook")).isEmpty();
    assertThat(claimableRetries(later)).containsExactly("dead", "done");
    assertThat(store().journal(List.of("dead", "again", "done", "boom"))).isEmpty();

    store().recordResults(batch());

    assertThat(deadLetters("hook")).extracting(DeadLetter::deliveryKey).containsExactly("dead");
    assertThat(claimableRetries(later)).containsExactly("again");
    assertThat(store().journal(List.of("dead", "again", "done", "boom")))
        .containsOnlyKeys("dead", "again", "done", "boom");
  }

  @Test
  void resultsWhoseRetryFailsAddNoDeadLetterAndCompleteNothing() throws Exception {
    scheduleEarlierRetries();

    try (AutoCloseable fault = failInserts("retries", "delivery_key", "again")) {
      assertThatThrownBy(() -> store().recordResults(batch()))
          .isInstanceOf(StoreUnavailableException.class);
    }

    assertThat(deadLetters("hook")).isEmpty();
    assertThat(claimableRetries(T0.plusSeconds(3600))).containsExactly("dead", "done");
    assertThat(store().journal(List.of("dead", "again", "done", "boom"))).isEmpty();
  }

  @Test
  void aRedriveWhoseRetriesCannotBeScheduledKeepsEveryDeadLetter() throws Exception {
    store()
        .addDeadLetters(
            List.of(
                DeadLetterContract.letter("hook", "first"),
                DeadLetterContract.letter("hook", "second")));
    List<DeadLetter> letters = deadLetters("hook");
    Instant now = T0.plusSeconds(3600);
    List<Redrive> redrives = letters.stream().map(l -> DeadLetterContract.retry(l, now)).toList();

    try (AutoCloseable fault = failInserts("retries", "delivery_key", "second")) {
      assertThatThrownBy(() -> store().redrive("hook", redrives))
          .isInstanceOf(StoreUnavailableException.class);
    }

    // the letters were deleted before the retries failed: the deletes are undone with them
    assertThat(deadLetters("hook")).containsExactlyElementsOf(letters);
    assertThat(claimableRetries(now)).isEmpty();

    assertThat(store().redrive("hook", redrives)).isEqualTo(2);

    assertThat(deadLetters("hook")).isEmpty();
    assertThat(claimableRetries(now)).containsExactly("first", "second");
  }

  @Test
  void routingsWhoseDeadLettersCannotBeAddedAreNotStoredEither() throws Exception {
    Routing routing =
        RoutingContract.routing(
            "EVENT-1",
            T0,
            RoutingContract.pending("placed", "hook", "fine"),
            RoutingContract.failed("placed", "mailer", "broken", "TransformError"));
    DeadLetter letter = DeadLetterContract.letter("mailer", "broken", 0, T0);

    try (AutoCloseable fault = failInserts("dead_letters", "delivery_key", "broken")) {
      assertThatThrownBy(() -> store().recordRoutings(List.of(routing), List.of(letter)))
          .isInstanceOf(StoreUnavailableException.class);
    }

    assertThat(store().routing("EVENT-1")).isEmpty();
    assertThat(deadLetters("mailer")).isEmpty();

    store().recordRoutings(List.of(routing), List.of(letter));

    assertThat(store().routing("EVENT-1")).contains(routing);
    assertThat(deadLetters("mailer")).extracting(DeadLetter::deliveryKey).containsExactly("broken");
  }
}
