package dev.herald.engine.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit of attempt results: every caller waits until its result is durable, but results that
 * arrive together go to the ledger in one {@link DeliveryLedger#record} call (one store
 * transaction, one statement batch) instead of one each. There is no added delay: while one batch
 * is being written, the next accumulates.
 *
 * <p>Thread-safety: {@link #record} may be called from any thread (it blocks); one flusher thread
 * drains the queue and is the only caller of the ledger's {@code record}.
 */
final class ResultRecorder implements AutoCloseable {
  static final int MAX_BATCH = 1_000;
  private static final Duration IDLE_POLL = Duration.ofMillis(100);

  private record Pending(AttemptResult result, CompletableFuture<Void> durable) {}

  private final DeliveryLedger ledger;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread flusher;
  private volatile boolean running = true;

  ResultRecorder(DeliveryLedger ledger) {
    this.ledger = ledger;
    this.flusher = Thread.ofPlatform().name("herald-delivery-recorder").daemon().start(this::loop);
  }

  /** Records one result; returns once it is durable, or throws what the ledger threw. */
  void record(AttemptResult result) throws InterruptedException {
    Pending pending = new Pending(result, new CompletableFuture<>());
    queue.add(pending);
    try {
      pending.durable().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        flush(batch);
      } catch (InterruptedException e) {
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void flush(List<Pending> batch) {
    try {
      ledger.record(batch.stream().map(Pending::result).toList());
      batch.forEach(p -> p.durable().complete(null));
    } catch (RuntimeException e) {
      batch.forEach(p -> p.durable().completeExceptionally(e));
    }
  }

  /** Writes what was queued, then stops. */
  @Override
  public void close() {
    running = false;
    try {
      flusher.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
