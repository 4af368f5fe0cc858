package dev.herald.core.delivery;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The rate limit of one target ({@code rateLimit.perSecond}): a token bucket holding {@code burst =
 * max(1, floor(perSecond))} tokens, full at the start and refilled at {@code perSecond} tokens a
 * second; each call takes one.
 *
 * <p>It is computed as the equivalent generic cell rate algorithm, in whole nanoseconds so that it
 * does not drift: one token is worth {@code interval = round(10^9 / perSecond)} ns, and the limiter
 * keeps the theoretical time at which the bucket would be full again. A call at {@code t} is
 * allowed when that time is at most {@code (burst - 1) × interval} after {@code t}; otherwise the
 * answer is how long until it would be.
 *
 * <p>Thread-safety: mutable and thread-safe; {@link #tryAcquire()} is {@code synchronized}. Time
 * comes only from the injected monotonic nanosecond ticker ({@code System::nanoTime} in production,
 * a fake in tests) or from an {@link InstantSource}.
 */
public final class RateLimiter {
  private final LongSupplier nanoTicker;
  private final double perSecond;
  private final long interval;
  private final long tolerance;
  private long fullAt;

  /**
   * @param perSecond calls allowed per second, above 0
   * @param nanoTicker a monotonic clock in nanoseconds
   */
  public RateLimiter(double perSecond, LongSupplier nanoTicker) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("perSecond must be above 0, was " + perSecond);
    }
    this.nanoTicker = Objects.requireNonNull(nanoTicker, "nanoTicker");
    this.perSecond = perSecond;
    this.interval = Math.max(1, Math.round(1e9 / perSecond));
    this.tolerance = (burst(perSecond) - 1) * interval;
    this.fullAt = nanoTicker.getAsLong();
  }

  /** A limiter on an {@link InstantSource} (nanosecond resolution, not necessarily monotonic). */
  public static RateLimiter of(double perSecond, InstantSource clock) {
    Objects.requireNonNull(clock, "clock");
    return new RateLimiter(
        perSecond,
        () -> {
          var now = clock.instant();
          return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        });
  }

  /** The bucket size for a rate: {@code max(1, floor(perSecond))}. */
  public static long burst(double perSecond) {
    return Math.max(1, (long) Math.floor(perSecond));
  }

  /** The configured rate. */
  public double perSecond() {
    return perSecond;
  }

  /** Takes a token: empty when the call may go now, else how long to wait before asking again. */
  public synchronized Optional<Duration> tryAcquire() {
    long now = nanoTicker.getAsLong();
    long tat = Math.max(fullAt, now);
    long ahead = tat - now;
    if (ahead > tolerance) {
      return Optional.of(Duration.ofNanos(ahead - tolerance));
    }
    fullAt = tat + interval;
    return Optional.empty();
  }
}
