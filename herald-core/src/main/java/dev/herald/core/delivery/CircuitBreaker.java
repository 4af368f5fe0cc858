package dev.herald.core.delivery;

import dev.herald.core.config.TargetSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * The circuit breaker of one target.
 *
 * <p><b>Closed</b>: every call is permitted and its outcome is recorded in a <b>count-based sliding
 * window of the last {@code minimumAttempts} outcomes</b> (a ring buffer). The circuit opens when
 * the window holds at least {@code minimumAttempts} outcomes and failures are at least {@code
 * failureRatePercent} of them. A count-based window was chosen over a time-based one so that a
 * target that keeps failing opens after a bounded number of attempts whatever its traffic: a quiet
 * target whose retries back off over hours still opens, and a busy one reacts within {@code
 * minimumAttempts} calls. Defaults ({@link dev.herald.core.config.TargetSpecs}): 90% over 20
 * attempts, open for 30 s.
 *
 * <p><b>Open</b>: no call is permitted for {@code openSeconds}; then the circuit is
 * <b>half-open</b>. Outcomes reported while open (calls started before it opened) are ignored.
 *
 * <p><b>Half-open</b>: {@link #tryAcquirePermission()} is true for one caller at a time, the probe.
 * A success closes the circuit with an empty window; a retryable failure opens it again for {@code
 * openSeconds}. An outcome that says nothing about the target ({@link #onIgnored()}, or a permanent
 * failure) frees the probe slot for another caller. A probe that reports nothing for {@code
 * openSeconds} is presumed lost and another caller may probe. Any outcome reported while half-open
 * is taken as the probe's.
 *
 * <p>Only <b>retryable</b> failures count: a permanent failure (a 400) is the event's fault, not
 * the target's, and is not recorded. A disabled policy makes a breaker that is always closed and
 * permits every call.
 *
 * <p>Thread-safety: mutable and thread-safe. Every method is {@code synchronized} on the breaker;
 * delivery threads call {@link #tryAcquirePermission()} before a call and one of {@link
 * #onSuccess()}, {@link #onFailure()} or {@link #onIgnored()} after it; any thread may read {@link
 * #state()}. Time comes only from the injected {@link InstantSource}; transitions from open to
 * half-open happen lazily when the breaker is next used. The transition listener runs inside the
 * breaker's lock, on the thread that caused the transition: it must be quick and must not call
 * back.
 */
public final class CircuitBreaker {
  /** The states of a circuit. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  /** Told of every change of state. */
  @FunctionalInterface
  public interface Listener {
    void changed(State from, State to);
  }

  private final TargetSpec.CircuitPolicy policy;
  private final InstantSource clock;
  private final Listener listener;
  private final Duration openFor;
  private final boolean[] failed;
  private int count;
  private int next;
  private int failures;
  private State state = State.CLOSED;
  private Instant openedAt = Instant.EPOCH;
  private Instant probeStartedAt;

  public CircuitBreaker(TargetSpec.CircuitPolicy policy, InstantSource clock) {
    this(policy, clock, (from, to) -> {});
  }

  public CircuitBreaker(TargetSpec.CircuitPolicy policy, InstantSource clock, Listener listener) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.openFor = Duration.ofSeconds(Math.max(0, policy.openSeconds()));
    this.failed = new boolean[Math.max(1, policy.minimumAttempts())];
  }

  /** The current state; always {@link State#CLOSED} when the policy is disabled. */
  public synchronized State state() {
    advance();
    return state;
  }

  /** When an open circuit becomes half-open; empty unless the circuit is open. */
  public synchronized Optional<Instant> openUntil() {
    advance();
    return state == State.OPEN ? Optional.of(openedAt.plus(openFor)) : Optional.empty();
  }

  /**
   * Whether a call may go now: always when closed, never when open, and for a single caller (the
   * probe) when half-open.
   */
  public synchronized boolean tryAcquirePermission() {
    if (!policy.enabled()) {
      return true;
    }
    advance();
    return switch (state) {
      case CLOSED -> true;
      case OPEN -> false;
      case HALF_OPEN -> acquireProbe();
    };
  }

  /** Records a successful call. */
  public synchronized void onSuccess() {
    if (!policy.enabled()) {
      return;
    }
    advance();
    switch (state) {
      case CLOSED -> record(false);
      case OPEN -> {}
      case HALF_OPEN -> close();
    }
  }

  /** Records a retryable failure (an error, a timeout, a 5xx, 408 or 429). */
  public synchronized void onFailure() {
    if (!policy.enabled()) {
      return;
    }
    advance();
    switch (state) {
      case CLOSED -> {
        record(true);
        if (count >= policy.minimumAttempts()
            && failures * 100L >= (long) policy.failureRatePercent() * count) {
          open();
        }
      }
      case OPEN -> {}
      case HALF_OPEN -> open();
    }
  }

  /** Records a failure: a retryable one counts, a permanent one is {@link #onIgnored()}. */
  public void onFailure(RetryDecision.Failure failure) {
    if (failure.retryable()) {
      onFailure();
    } else {
      onIgnored();
    }
  }

  /**
   * Records a call whose outcome says nothing about the target (a permanent failure, a call
   * abandoned before it was made): nothing is counted, and a half-open probe slot is freed.
   */
  public synchronized void onIgnored() {
    if (policy.enabled() && state == State.HALF_OPEN) {
      probeStartedAt = null;
    }
  }

  private boolean acquireProbe() {
    Instant now = clock.instant();
    if (probeStartedAt != null && now.isBefore(probeStartedAt.plus(openFor))) {
      return false;
    }
    probeStartedAt = now;
    return true;
  }

  private void advance() {
    if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(openFor))) {
      moveTo(State.HALF_OPEN);
      probeStartedAt = null;
    }
  }

  private void record(boolean failure) {
    if (count == failed.length) {
      if (failed[next]) {
        failures--;
      }
    } else {
      count++;
    }
    failed[next] = failure;
    if (failure) {
      failures++;
    }
    next = (next + 1) % failed.length;
  }

  private void moveTo(State next) {
    State previous = state;
    state = next;
    if (previous != next) {
      listener.changed(previous, next);
    }
  }

  private void open() {
    moveTo(State.OPEN);
    openedAt = clock.instant();
    probeStartedAt = null;
  }

  private void close() {
    moveTo(State.CLOSED);
    probeStartedAt = null;
    count = 0;
    next = 0;
    failures = 0;
  }
}
