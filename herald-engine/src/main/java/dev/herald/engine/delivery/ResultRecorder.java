package dev.herald.engine.delivery;

import dev.herald.api.UnstorableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of attempt results: every caller waits until its result is durable, but results that
 * arrive together go to the ledger in one {@link DeliveryLedger#record} call (one store
 * transaction, one statement batch) instead of one each. There is no added delay.
 *
 * <p>Until its result is durable, a call the target may have completed is repeated after a crash:
 * the time a result waits here bounds the duplicates a {@code kill -9} causes (see {@link
 * CallCounts}). So {@link #WRITERS} writers take turns: while one waits for the store, the next
 * takes what arrived meanwhile and hands it over at once, instead of waiting for the first write to
 * finish (the embedded store's single writer then commits both in one transaction). A result's wait
 * is about one store write, not two.
 *
 * <p>A result the store refuses for what it holds ({@link UnstorableException}) fails alone: its
 * batch is written again one result at a time, and the refused result is recorded as a dead letter
 * {@code Unstorable}. Any other failure is the store's, and fails the whole batch.
 *
 * <p>Thread-safety: {@link #record} and {@link #submit} may be called from any thread; the queue is
 * the hand-off. Each writer thread runs {@link #runOnce} in a loop; tests call it directly on a
 * recorder that was not started. Writers never hold the same result; the attempts of one delivery
 * are recorded one after the other (an attempt's caller waits for its result before the next).
 */
final class ResultRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultRecorder.class);
  static final int MAX_BATCH = 1_000;
  static final int WRITERS = 2;
  private static final Duration IDLE_POLL = Duration.ofMillis(100);

  /** {@code counted}: an attempt counted in {@link CallCounts}, uncounted here once written. */
  private record Pending(AttemptResult result, boolean counted, CompletableFuture<Void> durable) {}

  private static final Comparator<Pending> BY_KEY =
      Comparator.comparing(p -> p.result().work().deliveryKey());

  private final DeliveryLedger ledger;
  private final CallCounts calls;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final List<Thread> writers = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  /**
   * @param calls counts the results of attempts as recorded once their write ends, on the writer
   *     thread (not when their callers wake up, which on a busy machine comes later)
   */
  ResultRecorder(DeliveryLedger ledger, CallCounts calls) {
    this.ledger = ledger;
    this.calls = calls;
  }

  /** Starts the writer threads. */
  void start() {
    for (int i = 0; i < WRITERS; i++) {
      writers.add(
          Thread.ofPlatform().name("herald-delivery-recorder-" + i).daemon().start(this::loop));
    }
  }

  /**
   * Records one result; returns once it is durable, or throws what the ledger threw.
   *
   * @param counted the result of an attempt counted in {@link CallCounts} as returned
   */
  void record(AttemptResult result, boolean counted) throws InterruptedException {
    try {
      submit(result, counted).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Queues one result; the future completes once it is durable, or fails with the ledger's error.
   */
  CompletableFuture<Void> submit(AttemptResult result, boolean counted) {
    Pending pending = new Pending(result, counted, new CompletableFuture<>());
    queue.add(pending);
    return pending.durable();
  }

  /** Results queued and not yet taken by a writer. */
  int queued() {
    return queue.size();
  }

  private void loop() {
    while (running || !queue.isEmpty()) {
      try {
        runOnce(IDLE_POLL);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * One step: waits up to {@code wait} for a result, then writes it with every result queued behind
   * it (up to {@link #MAX_BATCH}) in one ledger call, and completes their futures.
   *
   * @return how many results were written (or failed together)
   */
  int runOnce(Duration wait) throws InterruptedException {
    Pending first = queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    if (first == null) {
      return 0;
    }
    List<Pending> batch = new ArrayList<>();
    batch.add(first);
    queue.drainTo(batch, MAX_BATCH - 1);
    // one lock order for every write, so concurrent writes of a shared database never deadlock
    // (a key routed twice after a crash may be in two writes); stable, so a key keeps its order
    batch.sort(BY_KEY);
    try {
      ledger.record(batch.stream().map(Pending::result).toList());
      batch.forEach(p -> written(p, null));
    } catch (UnstorableException e) {
      LOG.warn(
          "the store refused a batch of {} results ({}); writing them one at a time",
          batch.size(),
          e.getMessage());
      batch.forEach(this::writeAlone);
    } catch (RuntimeException e) {
      batch.forEach(p -> written(p, e)); // the store's, not a result's: all fail alike
    }
    return batch.size();
  }

  /**
   * Writes one result of a batch the store refused, so that only a result the store refuses fails;
   * one that it refuses alone becomes a dead letter {@code Unstorable} (its delivery never can be
   * recorded as it is, and retrying it would repeat the call forever).
   */
  private void writeAlone(Pending p) {
    try {
      ledger.record(List.of(p.result()));
      written(p, null);
    } catch (UnstorableException refused) {
      AttemptResult result = p.result();
      LOG.error(
          "the store refused the result of delivery {} to {} ({}): recording it as a dead letter {}",
          result.work().deliveryKey(),
          result.work().target(),
          refused.getMessage(),
          UnstorableException.CODE);
      try {
        ledger.record(List.of(unstorable(result, refused)));
        written(p, null);
      } catch (RuntimeException e) {
        written(p, e);
      }
    } catch (RuntimeException e) {
      written(p, e);
    }
  }

  private static AttemptResult unstorable(AttemptResult result, UnstorableException refused) {
    return new AttemptResult.DeadLettered(
        result.work(),
        result.at(),
        UnstorableException.CODE,
        "the state store refused the result of this attempt: " + refused.getMessage());
  }

  /** Ends a result's wait: durable when {@code failure} is null. */
  private void written(Pending p, RuntimeException failure) {
    if (p.counted()) {
      calls.recorded();
    }
    if (failure == null) {
      p.durable().complete(null);
    } else {
      p.durable().completeExceptionally(failure);
    }
  }

  /** Writes what was queued, then stops. */
  @Override
  public void close() {
    running = false;
    for (Thread writer : writers) {
      try {
        writer.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
