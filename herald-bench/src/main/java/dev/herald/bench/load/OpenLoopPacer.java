package dev.herald.bench.load;

/**
 * Paces an open-loop load: request {@code i} is due at {@code start + i / ratePerSecond}, whatever
 * happened to earlier requests. {@link #awaitNext()} returns that <em>intended</em> time, not the
 * time the caller actually got to send, so that latency measured from it includes any time the
 * request spent waiting behind a stalled system or a late sender (no coordinated omission).
 *
 * <p>Intended times are computed from the index, not by adding an interval repeatedly, so they do
 * not drift for rates whose interval is not a whole number of nanoseconds.
 *
 * <p>Not thread-safe: one dispatcher thread owns a pacer.
 */
public final class OpenLoopPacer {

  private final NanoClock clock;
  private final Sleeper sleeper;
  private final long startNanos;
  private final double ratePerSecond;
  private long next;

  public OpenLoopPacer(NanoClock clock, Sleeper sleeper, long startNanos, double ratePerSecond) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be > 0 per second, was " + ratePerSecond);
    }
    this.clock = clock;
    this.sleeper = sleeper;
    this.startNanos = startNanos;
    this.ratePerSecond = ratePerSecond;
  }

  /** The intended send time of request {@code index} (0-based). */
  public long intendedNanos(long index) {
    return startNanos + (long) Math.floor(index * 1e9 / ratePerSecond);
  }

  /**
   * Waits until the next request is due and returns its intended send time. Returns at once, with
   * an intended time in the past, when the caller is behind schedule.
   */
  public long awaitNext() {
    long intended = intendedNanos(next++);
    for (long now = clock.nanoTime(); now < intended; now = clock.nanoTime()) {
      sleeper.sleepNanos(intended - now);
    }
    return intended;
  }

  /** How many requests {@link #awaitNext()} has handed out. */
  public long issued() {
    return next;
  }
}
