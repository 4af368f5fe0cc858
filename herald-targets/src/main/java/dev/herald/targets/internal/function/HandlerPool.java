package dev.herald.targets.internal.function;

import dev.herald.api.delivery.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform threads that run one function target's handler, so that user code that spins or
 * blocks in native code never pins the delivery engine's virtual threads. {@code size} threads
 * (named {@code herald-fn-<target>-<n>}, created on demand) take invocations from a queue; the
 * caller waits for the outcome until the delivery's deadline.
 *
 * <p>Watchdog: at the deadline the caller answers {@code Retry("Timeout")}; an invocation still
 * queued is dropped, one still running has its thread interrupted. If that thread is still in the
 * handler {@code stuckAfter} later, it is counted as stuck, a WARN names the target, and the pool
 * starts a replacement thread, for up to {@code size} stuck threads (so a target never has more
 * than {@code 2 × size} threads). Past that, stuck threads eat into the pool; once every thread is
 * stuck, deliveries answer {@code Retry("Timeout")} at once without calling the handler: failures
 * that open the target's circuit. A stuck thread that returns is counted back (INFO) and the pool
 * shrinks again.
 *
 * <p>Thread-safety: {@link #run} is called from any number of threads. The stuck count and the
 * pool's size are guarded by {@code this}; each invocation's state by the invocation, handed off
 * between the caller, the worker and the watchdog under that lock. Lock order: invocation, then
 * pool.
 */
final class HandlerPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HandlerPool.class);
  static final int MAX_THREADS = 64;
  static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final String target;
  private final InstantSource clock;
  private final Duration stuckAfter;
  private final int size;
  private final ThreadPoolExecutor executor;
  private int stuck; // guarded by this

  /**
   * @param concurrency the target's {@code concurrency.max}; the pool has at most {@link
   *     #MAX_THREADS}
   * @param loader the context class loader of the pool's threads (the handler's)
   */
  HandlerPool(
      String target,
      int concurrency,
      ClassLoader loader,
      InstantSource clock,
      Duration stuckAfter) {
    this.target = target;
    this.clock = clock;
    this.stuckAfter = stuckAfter;
    this.size = Math.clamp(concurrency, 1, MAX_THREADS);
    ThreadFactory threads =
        Thread.ofPlatform().name("herald-fn-" + target + "-", 1).daemon(true).factory();
    this.executor =
        new ThreadPoolExecutor(
            size,
            size,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), // bounded in practice by the engine's concurrency limit
            task -> {
              Thread thread = threads.newThread(task);
              thread.setContextClassLoader(loader);
              return thread;
            });
  }

  /**
   * Runs {@code work} on a pool thread and waits for its outcome until {@code deadline}. {@code
   * work} maps the handler's own failures; anything it throws becomes {@code
   * Retry("FunctionError")}.
   */
  Outcome run(Callable<Outcome> work, Instant deadline, String deliveryKey) {
    if (allStuck()) {
      return new Outcome.Retry(
          "Timeout", "every handler thread of function target " + target + " is stuck");
    }
    Invocation invocation = new Invocation(work, deliveryKey);
    try {
      executor.execute(invocation);
    } catch (RejectedExecutionException e) {
      return new Outcome.Retry("FunctionError", "function target " + target + " is closed");
    }
    Duration left = Duration.between(clock.instant(), deadline);
    try {
      return invocation.result.get(Math.max(0, left.toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return invocation.abandon().orElseGet(() -> timeout(deadline));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      invocation.abandon();
      return new Outcome.Retry("Timeout", "interrupted while waiting for the handler");
    } catch (ExecutionException e) {
      return new Outcome.Retry("FunctionError", String.valueOf(e.getCause()));
    }
  }

  private Outcome timeout(Instant deadline) {
    return new Outcome.Retry(
        "Timeout",
        "the handler of function target "
            + target
            + " did not return by the deadline "
            + deadline
            + "; its thread was interrupted");
  }

  private synchronized boolean allStuck() {
    return stuck >= 2 * size;
  }

  private synchronized void countStuck(Thread thread, String deliveryKey) {
    stuck++;
    if (stuck <= size) {
      resize(size + stuck);
    }
    LOG.warn(
        "function target {}: thread {} is still in the handler {} ms after the deadline of"
            + " delivery {} and an interrupt; {} thread(s) stuck, {}",
        target,
        thread.getName(),
        stuckAfter.toMillis(),
        deliveryKey,
        stuck,
        stuck <= size ? "started a replacement" : "no replacement (at most " + size + ")");
  }

  private synchronized void countReturned(Thread thread, Duration late) {
    stuck--;
    if (stuck < size) {
      resize(size + stuck);
    }
    LOG.info(
        "function target {}: stuck thread {} returned {} ms after its deadline; {} still stuck",
        target,
        thread.getName(),
        late.toMillis(),
        stuck);
  }

  private void resize(int threads) {
    if (threads > executor.getMaximumPoolSize()) {
      executor.setMaximumPoolSize(threads);
      executor.setCorePoolSize(threads);
    } else {
      executor.setCorePoolSize(threads);
      executor.setMaximumPoolSize(threads);
    }
  }

  /**
   * Stops taking invocations, lets running ones finish for {@link #CLOSE_GRACE}, then interrupts
   * them; invocations still queued answer {@code Retry("FunctionError")}.
   */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        List<Runnable> queued = executor.shutdownNow();
        queued.forEach(task -> ((Invocation) task).drop());
        if (!executor.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn(
              "function target {}: {} handler thread(s) still running after close",
              target,
              executor.getActiveCount());
        }
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** One call of the handler: queued, then running, then finished, or given up by its caller. */
  private final class Invocation implements Runnable {
    private final Callable<Outcome> work;
    private final String deliveryKey;
    final CompletableFuture<Outcome> result = new CompletableFuture<>();
    private State state = State.QUEUED; // guarded by this
    private Thread runner; // guarded by this; set while RUNNING or ABANDONED
    private Instant abandonedAt; // guarded by this
    private boolean countedStuck; // guarded by this

    Invocation(Callable<Outcome> work, String deliveryKey) {
      this.work = work;
      this.deliveryKey = deliveryKey;
    }

    @Override
    public void run() {
      synchronized (this) {
        if (state != State.QUEUED) {
          return; // its caller gave up while it was queued
        }
        state = State.RUNNING;
        runner = Thread.currentThread();
      }
      Outcome outcome;
      try {
        outcome = work.call();
      } catch (Throwable t) { // the worker must survive whatever user code throws
        outcome = new Outcome.Retry("FunctionError", String.valueOf(t));
      }
      finish(outcome);
    }

    private void finish(Outcome outcome) {
      boolean wasStuck;
      Instant since;
      synchronized (this) {
        wasStuck = countedStuck;
        since = abandonedAt;
        state = State.FINISHED;
        runner = null;
      }
      Thread.interrupted(); // a watchdog interrupt must not reach the next invocation
      result.complete(outcome);
      if (wasStuck) {
        countReturned(Thread.currentThread(), Duration.between(since, clock.instant()));
      }
    }

    /**
     * The caller gives up: a queued invocation is dropped, a running one interrupted and watched.
     * Returns the outcome if it finished meanwhile.
     */
    Optional<Outcome> abandon() {
      synchronized (this) {
        switch (state) {
          case FINISHED -> {
            return Optional.of(result.join());
          }
          case QUEUED -> state = State.DROPPED;
          case RUNNING -> {
            state = State.ABANDONED;
            abandonedAt = clock.instant();
            runner.interrupt();
            watchdog().execute(this::checkStuck);
          }
          case ABANDONED, DROPPED -> {}
        }
      }
      executor.remove(this);
      return Optional.empty();
    }

    private synchronized void checkStuck() {
      if (state == State.ABANDONED && !countedStuck) {
        countedStuck = true;
        countStuck(runner, deliveryKey);
      }
    }

    /** Pool closed before it ran. */
    void drop() {
      synchronized (this) {
        state = State.DROPPED;
      }
      result.complete(new Outcome.Retry("FunctionError", "function target " + target + " closed"));
    }

    private Executor watchdog() {
      return CompletableFuture.delayedExecutor(
          stuckAfter.toNanos(), TimeUnit.NANOSECONDS, Runnable::run);
    }
  }

  private enum State {
    QUEUED,
    RUNNING,
    ABANDONED,
    FINISHED,
    DROPPED
  }
}
