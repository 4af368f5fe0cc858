package dev.herald.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.UnstorableException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ResultRecorderTest {
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private final MemoryLedger ledger = new MemoryLedger();
  private final CallCounts calls = new CallCounts();
  private final ResultRecorder recorder = new ResultRecorder(ledger, calls); // not started

  private static AttemptResult delivered(String key) {
    return new AttemptResult.Delivered(Works.first("t", key, NOW), NOW);
  }

  @Test
  void resultsThatArriveTogetherGoToTheLedgerInOneCallOrderedByKey() throws Exception {
    CompletableFuture<Void> c = recorder.submit(delivered("c"), false);
    CompletableFuture<Void> a = recorder.submit(delivered("a"), false);
    CompletableFuture<Void> b = recorder.submit(delivered("b"), false);
    assertThat(c).isNotDone();

    assertThat(recorder.runOnce(Duration.ZERO)).isEqualTo(3);

    assertThat(ledger.writes).hasSize(1);
    assertThat(ledger.writes.getFirst())
        .extracting(r -> r.work().deliveryKey())
        .containsExactly("a", "b", "c");
    assertThat(CompletableFuture.allOf(a, b, c)).isCompleted();
    assertThat(recorder.queued()).isZero();
  }

  @Test
  void aStepWithNothingQueuedWritesNothing() throws Exception {
    assertThat(recorder.runOnce(Duration.ZERO)).isZero();
    assertThat(ledger.writes).isEmpty();
  }

  @Test
  void everyResultOfAFailedWriteFailsWithTheLedgersError() throws Exception {
    ledger.failNextWrite = new IllegalStateException("store down");
    CompletableFuture<Void> a = recorder.submit(delivered("a"), false);
    CompletableFuture<Void> b = recorder.submit(delivered("b"), false);

    recorder.runOnce(Duration.ZERO);

    for (CompletableFuture<Void> f : java.util.List.of(a, b)) {
      assertThatThrownBy(f::get)
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(IllegalStateException.class);
    }
    assertThat(ledger.journal).isEmpty();
  }

  @Test
  void aResultTheStoreRefusesFailsAloneAndBecomesAnUnstorableDeadLetter() throws Exception {
    ledger.refuses =
        r -> r.work().deliveryKey().equals("b") && !(r instanceof AttemptResult.DeadLettered);
    CompletableFuture<Void> a = recorder.submit(delivered("a"), true);
    CompletableFuture<Void> b = recorder.submit(delivered("b"), true);
    CompletableFuture<Void> c = recorder.submit(delivered("c"), true);
    calls.returned();
    calls.returned();
    calls.returned();

    assertThat(recorder.runOnce(Duration.ZERO)).isEqualTo(3);

    assertThat(CompletableFuture.allOf(a, b, c)).isCompleted();
    assertThat(ledger.journal)
        .containsEntry("a", "delivered")
        .containsEntry("b", "dead-lettered")
        .containsEntry("c", "delivered");
    AttemptResult.DeadLettered dead =
        (AttemptResult.DeadLettered)
            ledger.allRecorded().stream()
                .filter(r -> r.work().deliveryKey().equals("b"))
                .findFirst()
                .orElseThrow();
    assertThat(dead.code()).isEqualTo("Unstorable");
    assertThat(dead.message()).contains("refused");
    assertThat(calls.unrecorded()).isZero();
  }

  @Test
  void aResultRefusedEvenAsADeadLetterFailsAloneWithTheStoresError() throws Exception {
    ledger.refuses = r -> r.work().deliveryKey().equals("b");
    CompletableFuture<Void> a = recorder.submit(delivered("a"), false);
    CompletableFuture<Void> b = recorder.submit(delivered("b"), false);

    recorder.runOnce(Duration.ZERO);

    assertThat(a).isCompleted();
    assertThatThrownBy(b::get).hasCauseInstanceOf(UnstorableException.class);
    assertThat(ledger.journal).containsOnlyKeys("a");
  }

  @Test
  void recordReturnsOnlyOnceTheResultIsDurable() throws Exception {
    CompletableFuture<Void> returned = new CompletableFuture<>();
    Thread caller =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    recorder.record(delivered("a"), false);
                    returned.complete(null);
                  } catch (Exception e) {
                    returned.completeExceptionally(e);
                  }
                });
    while (recorder.queued() == 0) {
      Thread.onSpinWait();
    }
    assertThat(returned).isNotDone();
    assertThat(ledger.journal).isEmpty();

    recorder.runOnce(Duration.ZERO);
    returned.get();
    caller.join();

    assertThat(ledger.journal).containsEntry("a", "delivered");
  }

  @Test
  void recordThrowsTheLedgersErrorToTheCaller() throws Exception {
    ledger.failNextWrite = new IllegalStateException("constraint");
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                recorder.record(delivered("a"), false);
                thrown.complete(null);
              } catch (Exception e) {
                thrown.complete(e);
              }
            });
    while (recorder.queued() == 0) {
      Thread.onSpinWait();
    }

    recorder.runOnce(Duration.ZERO);

    assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessage("constraint");
  }

  @Test
  void anAttemptCountsAsUnrecordedUntilTheWriteOfItsResultEnds() throws Exception {
    calls.started();
    calls.ended();
    calls.started();
    calls.ended();
    assertThat(calls.unrecorded()).isEqualTo(2);

    CompletableFuture<Void> a = recorder.submit(delivered("a"), true);
    assertThat(calls.unrecorded()).isEqualTo(2); // queued, not durable
    recorder.runOnce(Duration.ZERO);
    assertThat(a).isCompleted();
    assertThat(calls.unrecorded()).isEqualTo(1);

    ledger.failNextWrite = new IllegalStateException("store down");
    recorder.submit(delivered("b"), true);
    recorder.runOnce(Duration.ZERO);
    assertThat(calls.unrecorded()).isZero(); // failed: no longer waiting to be recorded
    assertThat(calls.inFlight()).isZero();
  }
}
