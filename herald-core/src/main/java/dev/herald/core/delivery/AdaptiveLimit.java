package dev.herald.core.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The adaptive concurrency limit of one target: additive increase, multiplicative decrease (AIMD)
 * between 1 and the target's {@code concurrency.max}, driven by failures and by latency rising
 * sharply above its long-term level.
 *
 * <p>Algorithm, one {@link #onSample} per finished call:
 *
 * <ul>
 *   <li><b>Latency</b>: two exponential averages of successful latencies, a long-term baseline
 *       (weight {@value #BASELINE_WEIGHT}, about the last hundred calls) and a recent one (weight
 *       {@value #RECENT_WEIGHT}, about the last ten). Averages rather than single calls, and a
 *       baseline that is an average rather than the fastest call ever seen, so that the jitter of a
 *       busy machine does not read as congestion.
 *   <li><b>Decrease</b>: a failure or timeout, or a recent latency above {@code baseline ×
 *       tolerance} (default {@value #DEFAULT_TOLERANCE}) plus {@value #SLACK_MILLIS} ms, multiplies
 *       the limit by {@value #DECREASE_FACTOR}, never below 1, and restarts the count of good
 *       calls. At most once per round ({@code limit()} calls since the last decrease), as TCP
 *       halves once per round trip, not once per lost packet: the calls of one round were all
 *       started under the old limit and report the same congestion.
 *   <li><b>Increase</b>: a success within the tolerance <em>while there is backlog</em> counts as
 *       good; after a window of {@code limit()} good calls in a row (about one round of the whole
 *       limit) the limit grows by 1 (from its integer part), never above {@code max}. Successes
 *       without backlog neither count nor reset: there is no reason to grow a limit the target's
 *       traffic does not use.
 * </ul>
 *
 * <p>The limit starts at {@code min(max, }{@value #DEFAULT_INITIAL}{@code )} unless given.
 *
 * <p>Thread-safety: mutable and thread-safe; every method is {@code synchronized}. Delivery threads
 * report samples; the dispatcher reads {@link #limit()} before starting calls.
 */
public final class AdaptiveLimit {
  /** Default multiple of the baseline latency above which recent calls count as slow. */
  public static final double DEFAULT_TOLERANCE = 2.0;

  /** Factor applied to the limit on a failure, timeout or slowdown. */
  public static final double DECREASE_FACTOR = 0.9;

  /** Default starting limit (bounded by {@code max}). */
  public static final int DEFAULT_INITIAL = 8;

  /** Weight of each call in the long-term baseline latency. */
  public static final double BASELINE_WEIGHT = 0.01;

  /** Weight of each call in the recent latency. */
  public static final double RECENT_WEIGHT = 0.1;

  /** Latency added to the threshold, so sub-millisecond jitter never counts as a slowdown. */
  public static final long SLACK_MILLIS = 1;

  private static final double SLACK_NANOS = SLACK_MILLIS * 1e6;

  private final int max;
  private int ceiling; // at most max; lowered when the target's concurrency is shared
  private final double tolerance;
  private double limit;
  private int good;
  private long sinceDecrease = Long.MAX_VALUE;
  private double baselineNanos = Double.NaN;
  private double recentNanos = Double.NaN;

  /** A limit up to {@code max}, starting at {@code min(max, 8)}, tolerance 2. */
  public AdaptiveLimit(int max) {
    this(max, Math.min(max, DEFAULT_INITIAL), DEFAULT_TOLERANCE);
  }

  /**
   * @param max the target's {@code concurrency.max}, at least 1
   * @param initial the starting limit, between 1 and {@code max}
   * @param tolerance the multiple of the baseline latency above which recent calls are slow, above
   *     1
   */
  public AdaptiveLimit(int max, int initial, double tolerance) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    if (initial < 1 || initial > max) {
      throw new IllegalArgumentException("initial must be in [1, " + max + "], was " + initial);
    }
    if (!(tolerance > 1.0)) {
      throw new IllegalArgumentException("tolerance must be above 1, was " + tolerance);
    }
    this.max = max;
    this.ceiling = max;
    this.limit = initial;
    this.tolerance = tolerance;
  }

  /**
   * Reports one finished call.
   *
   * @param latency how long the call took
   * @param success false for a failure or timeout
   * @param backlog whether records of the target were waiting for a free slot
   */
  public synchronized void onSample(Duration latency, boolean success, boolean backlog) {
    Objects.requireNonNull(latency, "latency");
    if (sinceDecrease < Long.MAX_VALUE) {
      sinceDecrease++;
    }
    if (!success) {
      decrease();
      return;
    }
    double nanos = latency.isNegative() ? 0 : latency.toNanos();
    baselineNanos = average(baselineNanos, nanos, BASELINE_WEIGHT);
    recentNanos = average(recentNanos, nanos, RECENT_WEIGHT);
    if (recentNanos > baselineNanos * tolerance + SLACK_NANOS) {
      decrease();
    } else if (backlog && ++good >= limit()) {
      limit = Math.min(ceiling, Math.floor(limit) + 1);
      good = 0;
    }
  }

  /** The current limit, between 1 and the ceiling ({@code max} unless lowered). */
  public synchronized int limit() {
    return (int) Math.max(1, Math.min(ceiling, Math.floor(limit)));
  }

  /**
   * Caps the limit at {@code value} (1 to {@code max}): this instance's part of a concurrency that
   * several share. The limit adapts below it as before.
   */
  public synchronized void ceiling(int value) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException("ceiling must be in [1, " + max + "], was " + value);
    }
    ceiling = value;
    limit = Math.min(limit, value);
  }

  /** The long-term latency of successful calls, once there has been one. */
  public synchronized Optional<Duration> baseline() {
    return Double.isNaN(baselineNanos)
        ? Optional.empty()
        : Optional.of(Duration.ofNanos((long) baselineNanos));
  }

  private static double average(double current, double sample, double weight) {
    return Double.isNaN(current) ? sample : current + weight * (sample - current);
  }

  private void decrease() {
    good = 0;
    if (sinceDecrease >= limit()) {
      limit = Math.max(1.0, limit * DECREASE_FACTOR);
      sinceDecrease = 0;
    }
  }
}
