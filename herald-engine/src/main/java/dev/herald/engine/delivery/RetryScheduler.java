package dev.herald.engine.delivery;

import dev.herald.core.delivery.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands scheduled retries back to the delivery code when they are due: every {@link #PERIOD} it
 * renews the leases of the retries this instance still works on, then claims due rows from the
 * ledger (leased to this instance, at most {@link #CLAIM_LIMIT}), skipping targets that wait
 * (disabled or circuit open), and submits each to its target; a retry whose target no longer exists
 * becomes a {@code TargetDeleted} dead letter.
 *
 * <p>Threads: one platform thread calls {@link #runOnce} in a loop ({@link #start}); tests call it
 * directly on a scheduler not started. The claimed work goes to thread-safe callbacks.
 */
final class RetryScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetryScheduler.class);
  static final Duration PERIOD = Duration.ofMillis(250);
  static final int CLAIM_LIMIT = 256;

  /** Where claimed retries go. */
  interface Sink {
    /** Attempts a claimed retry on its target. */
    void submit(Work work, TargetRuntime target);

    /** Records the dead letter of a retry whose target is gone; returns once it is durable. */
    void record(AttemptResult result) throws InterruptedException;
  }

  private final DeliveryLedger ledger;
  private final InstantSource clock;
  private final Supplier<Collection<TargetRuntime>> running;
  private final Function<String, Optional<TargetRuntime>> targets;
  private final Sink sink;
  private volatile boolean open = true;
  private Thread thread;

  /**
   * @param running the targets this instance runs now (to skip those that wait)
   * @param targets a target's runtime, loaded if needed; empty when it does not exist
   */
  RetryScheduler(
      DeliveryLedger ledger,
      InstantSource clock,
      Supplier<Collection<TargetRuntime>> running,
      Function<String, Optional<TargetRuntime>> targets,
      Sink sink) {
    this.ledger = ledger;
    this.clock = clock;
    this.running = running;
    this.targets = targets;
    this.sink = sink;
  }

  void start() {
    thread = Thread.ofPlatform().name("herald-retry-scheduler").daemon().start(this::loop);
  }

  private void loop() {
    while (open) {
      try {
        runOnce();
        Thread.sleep(PERIOD);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("retry scheduler: {}", e.toString());
        try {
          Thread.sleep(Duration.ofSeconds(1));
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /**
   * One step: claims the retries due now and hands each to its target.
   *
   * @return how many retries were claimed
   */
  int runOnce() throws InterruptedException {
    Instant now = clock.instant();
    Set<String> waiting =
        running.get().stream()
            .filter(t -> !t.enabled() || t.circuit().state() == CircuitBreaker.State.OPEN)
            .map(TargetRuntime::name)
            .collect(Collectors.toSet());
    ledger.renewClaims(now);
    var claimed = ledger.claimDue(now, CLAIM_LIMIT, waiting);
    for (Work work : claimed) {
      Optional<TargetRuntime> target = targets.apply(work.target());
      if (target.isEmpty()) {
        sink.record(
            new AttemptResult.DeadLettered(
                work, now, "TargetDeleted", "the target no longer exists"));
      } else {
        sink.submit(work, target.get());
      }
    }
    return claimed.size();
  }

  @Override
  public void close() {
    open = false;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
