package dev.herald.engine.delivery;

import dev.herald.api.delivery.Target;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.delivery.AdaptiveLimit;
import dev.herald.core.delivery.CircuitBreaker;
import dev.herald.core.delivery.RateLimiter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A target as the delivery engine runs it: its implementation, its policies and its live state
 * (in-flight calls against an adaptive limit, circuit, rate limit, enabled). Thread-safe: the
 * in-flight count is guarded by a lock; the circuit, limit and rate limiter are thread-safe.
 */
public final class TargetRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TargetRuntime.class);
  private final TargetSpec spec;
  private final Target target;
  private final CircuitBreaker circuit;
  private final AdaptiveLimit limit;
  private volatile Optional<RateLimiter> rate; // replaced when this instance's share changes
  private volatile double share = 1.0;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition freed = lock.newCondition();
  private int inFlight;
  private volatile boolean enabled;

  /** The last retryable failure, "code: message": why the circuit opened, when it does. */
  private volatile String lastFailure = "";

  public TargetRuntime(TargetSpec spec, Target target, InstantSource clock) {
    this.spec = spec;
    this.target = target;
    this.circuit =
        new CircuitBreaker(spec.circuit(), clock, (from, to) -> circuitChanged(from, to, clock));
    this.limit = new AdaptiveLimit(spec.concurrencyMax());
    this.rate =
        spec.rateLimitPerSecond().map(perSecond -> new RateLimiter(perSecond, System::nanoTime));
    this.enabled = spec.enabled();
  }

  /** Notes a retryable failure before the circuit hears of it: the reason it gives if it opens. */
  void failedWith(String code, String message) {
    lastFailure = code + ": " + message;
  }

  /** One line per change of the circuit; an opening names the failure that opened it. */
  private void circuitChanged(
      CircuitBreaker.State from, CircuitBreaker.State to, InstantSource clock) {
    String fromName = from.name().toLowerCase(Locale.ROOT).replace('_', '-');
    String toName = to.name().toLowerCase(Locale.ROOT).replace('_', '-');
    if (to == CircuitBreaker.State.OPEN) {
      java.time.Instant until = clock.instant().plusSeconds(spec.circuit().openSeconds());
      LOG.atWarn()
          .addKeyValue("circuitFrom", fromName)
          .addKeyValue("circuitTo", toName)
          .addKeyValue("reason", lastFailure)
          .addKeyValue("openUntil", until.toString())
          .log(
              "target {}: circuit {} -> open after {}; its deliveries wait until {}",
              spec.name(),
              fromName,
              lastFailure,
              until);
    } else {
      LOG.atInfo()
          .addKeyValue("circuitFrom", fromName)
          .addKeyValue("circuitTo", toName)
          .log("target {}: circuit {} -> {}", spec.name(), fromName, toName);
    }
  }

  public String name() {
    return spec.name();
  }

  public TargetSpec spec() {
    return spec;
  }

  Target target() {
    return target;
  }

  CircuitBreaker circuit() {
    return circuit;
  }

  AdaptiveLimit limit() {
    return limit;
  }

  public boolean enabled() {
    return enabled;
  }

  /** Disables (a 410 answer) or re-enables (resume) the target on this instance. */
  public void setEnabled(boolean value) {
    enabled = value;
  }

  /**
   * Waits for a free slot under the adaptive concurrency limit; true when it had to wait (there is
   * backlog, so the limit may grow).
   */
  boolean acquire() throws InterruptedException {
    lock.lock();
    try {
      boolean waited = false;
      while (inFlight >= limit.limit()) {
        waited = true;
        freed.await();
      }
      inFlight++;
      if (inFlight < limit.limit()) {
        freed.signal(); // the limit grew while this one waited: there is room for the next too
      }
      return waited;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Frees a slot and wakes one waiter (not all: a woken waiter wakes the next if there is room).
   */
  void release() {
    lock.lock();
    try {
      inFlight--;
      freed.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Applies the target's concurrency and rate limits in proportion to {@code fraction}, the share
   * of its partitions this instance owns (see {@link PartitionShares}): together the instances of a
   * cluster stay within the limits.
   */
  void share(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1], was " + fraction);
    }
    if (fraction == share) {
      return;
    }
    share = fraction;
    int ceiling = (int) Math.max(1, Math.ceil(spec.concurrencyMax() * fraction));
    limit.ceiling(ceiling);
    rate =
        spec.rateLimitPerSecond()
            .map(perSecond -> new RateLimiter(perSecond * fraction, System::nanoTime));
    LOG.info(
        "target {}: this instance owns {}% of its partitions: concurrency up to {}{}",
        spec.name(),
        Math.round(fraction * 100),
        ceiling,
        rate.map(r -> String.format(Locale.ROOT, ", %.2f calls/s", r.perSecond())).orElse(""));
  }

  /** Waits until the rate limit admits one call. */
  void awaitRate() throws InterruptedException {
    Optional<RateLimiter> limiter = rate;
    if (limiter.isEmpty()) {
      return;
    }
    for (Optional<Duration> wait = limiter.get().tryAcquire();
        wait.isPresent();
        wait = limiter.get().tryAcquire()) {
      Thread.sleep(wait.get());
    }
  }

  /** The calls per second this instance may make now: its share of the target's rate limit. */
  java.util.OptionalDouble ratePerSecond() {
    return rate.map(r -> java.util.OptionalDouble.of(r.perSecond()))
        .orElse(java.util.OptionalDouble.empty());
  }

  /** The circuit's state: closed, open or half-open. */
  public String circuitState() {
    return circuit.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** The adaptive concurrency limit now. */
  public int concurrencyLimit() {
    return limit.limit();
  }

  public int inFlight() {
    lock.lock();
    try {
      return inFlight;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() throws Exception {
    target.close();
  }
}
