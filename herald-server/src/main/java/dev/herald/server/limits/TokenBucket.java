package dev.herald.server.limits;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket: {@code perSecond} tokens flow in each second up to {@code capacity}; taking
 * {@code cost} tokens needs {@code min(cost, capacity)} of them in the bucket, and the balance may
 * then go below zero, so a request larger than the whole bucket passes when the bucket is full and
 * is paid off before the next one passes. Time comes from the caller (an {@code InstantSource}), a
 * clock that goes back adds nothing. Thread-safe: every method is synchronized on the bucket.
 */
final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1_000_000_000d;

  private final double perSecond;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  TokenBucket(double perSecond, double capacity, Instant now) {
    if (!(perSecond > 0) || !(capacity >= 1)) {
      throw new IllegalArgumentException(
          "a token bucket needs a positive rate and a capacity of at least 1, got "
              + perSecond
              + "/s and "
              + capacity);
    }
    this.perSecond = perSecond;
    this.capacity = capacity;
    this.tokens = capacity;
    this.lastNanos = nanos(now);
  }

  /**
   * Takes {@code cost} tokens if the bucket holds enough; otherwise takes nothing.
   *
   * @return zero when taken, else how long until the same call would succeed
   */
  synchronized Duration tryTake(int cost, Instant now) {
    refill(now);
    double needed = Math.min(cost, capacity);
    if (tokens >= needed) {
      tokens -= cost;
      return Duration.ZERO;
    }
    double seconds = (needed - tokens) / perSecond;
    return Duration.ofNanos(Math.max(1, Math.round(seconds * NANOS_PER_SECOND)));
  }

  /** Returns tokens taken for a request that was refused later (by another limit). */
  synchronized void giveBack(int cost) {
    tokens = Math.min(capacity, tokens + cost);
  }

  /** Whether the bucket is full at {@code now}: forgetting it would change nothing. */
  synchronized boolean full(Instant now) {
    refill(now);
    return tokens >= capacity;
  }

  /** The tokens in the bucket at {@code now} (for tests and logs). */
  synchronized double available(Instant now) {
    refill(now);
    return tokens;
  }

  private void refill(Instant now) {
    long current = nanos(now);
    long elapsed = current - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed / NANOS_PER_SECOND * perSecond);
      lastNanos = current;
    }
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
