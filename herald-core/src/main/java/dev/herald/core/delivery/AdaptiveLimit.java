package dev.herald.core.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The adaptive concurrency limit of one target: additive increase, multiplicative decrease (AIMD)
 * between 1 and the target's {@code concurrency.max}.
 *
 * <p>Algorithm, one {@link #onSample} per finished call:
 *
 * <ul>
 *   <li><b>Baseline latency</b>: the first successful latency, then moved toward each successful
 *       latency: down at once when a call is faster (the unloaded latency, as TCP Vegas takes the
 *       minimum round trip), up slowly by an exponential average of weight {@value
 *       #BASELINE_WEIGHT} when slower, so a target that has become slower for good is accepted as
 *       such after about a hundred calls rather than being throttled to 1 forever.
 *   <li><b>Decrease</b>: a failure or timeout, or a success slower than {@code baseline ×
 *       tolerance} (default {@value #DEFAULT_TOLERANCE}), multiplies the limit by {@value
 *       #DECREASE_FACTOR}, never below 1, and restarts the count of good calls. The limit is kept
 *       as a fraction, so repeated decreases compound; {@link #limit()} is its integer part.
 *   <li><b>Increase</b>: a success within the tolerance <em>while there is backlog</em> counts as
 *       good; after a window of {@code limit()} good calls in a row (about one round of the whole
 *       limit, as TCP grows once per round trip) the limit grows by 1 (from its integer part),
 *       never above {@code max}. Successes without backlog neither count nor reset: there is no
 *       reason to grow a limit the target's traffic does not use.
 * </ul>
 *
 * <p>The limit starts at {@code min(max, }{@value #DEFAULT_INITIAL}{@code )} unless given.
 *
 * <p>Thread-safety: mutable and thread-safe; every method is {@code synchronized}. Delivery threads
 * report samples; the dispatcher reads {@link #limit()} before starting calls.
 */
public final class AdaptiveLimit {
  /** Default multiple of the baseline latency above which a call counts as slow. */
  public static final double DEFAULT_TOLERANCE = 2.0;

  /** Factor applied to the limit on a failure, timeout or slow call. */
  public static final double DECREASE_FACTOR = 0.9;

  /** Default starting limit (bounded by {@code max}). */
  public static final int DEFAULT_INITIAL = 8;

  /** Weight of a slower sample in the baseline's exponential average. */
  public static final double BASELINE_WEIGHT = 0.01;

  private final int max;
  private final double tolerance;
  private double limit;
  private int good;
  private double baselineNanos = Double.NaN;

  /** A limit up to {@code max}, starting at {@code min(max, 8)}, tolerance 2. */
  public AdaptiveLimit(int max) {
    this(max, Math.min(max, DEFAULT_INITIAL), DEFAULT_TOLERANCE);
  }

  /**
   * @param max the target's {@code concurrency.max}, at least 1
   * @param initial the starting limit, between 1 and {@code max}
   * @param tolerance the multiple of the baseline latency above which a call is slow, above 1
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
    if (!success) {
      decrease();
      return;
    }
    double nanos = latency.isNegative() ? 0 : latency.toNanos();
    boolean slow = !Double.isNaN(baselineNanos) && nanos > baselineNanos * tolerance;
    updateBaseline(nanos);
    if (slow) {
      decrease();
    } else if (backlog && ++good >= limit()) {
      limit = Math.min(max, Math.floor(limit) + 1);
      good = 0;
    }
  }

  /** The current limit, between 1 and {@code max}. */
  public synchronized int limit() {
    return (int) Math.max(1, Math.min(max, Math.floor(limit)));
  }

  /** The baseline latency, once a success has been reported. */
  public synchronized Optional<Duration> baseline() {
    return Double.isNaN(baselineNanos)
        ? Optional.empty()
        : Optional.of(Duration.ofNanos((long) baselineNanos));
  }

  private void updateBaseline(double nanos) {
    if (Double.isNaN(baselineNanos) || nanos < baselineNanos) {
      baselineNanos = nanos;
    } else {
      baselineNanos += BASELINE_WEIGHT * (nanos - baselineNanos);
    }
  }

  private void decrease() {
    limit = Math.max(1.0, limit * DECREASE_FACTOR);
    good = 0;
  }
}
