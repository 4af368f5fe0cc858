package dev.herald.bench.load;

import java.time.Duration;

/**
 * The time line of a run: a warm-up whose requests are discarded, then the measured window. A
 * request belongs to the window when its (intended) start time lies inside it; requests still in
 * flight at the end are awaited and counted.
 */
public record Window(long startNanos, long measureStartNanos, long endNanos) {

  public Window {
    if (measureStartNanos < startNanos || endNanos <= measureStartNanos) {
      throw new IllegalArgumentException(
          "need start <= measureStart < end, was "
              + startNanos
              + ", "
              + measureStartNanos
              + ", "
              + endNanos);
    }
  }

  public static Window of(long startNanos, Duration warmup, Duration duration) {
    long measureStart = startNanos + warmup.toNanos();
    return new Window(startNanos, measureStart, measureStart + duration.toNanos());
  }

  public boolean measures(long requestStartNanos) {
    return requestStartNanos >= measureStartNanos && requestStartNanos < endNanos;
  }

  public boolean over(long nowNanos) {
    return nowNanos >= endNanos;
  }

  public double measuredSeconds() {
    return (endNanos - measureStartNanos) / 1e9;
  }
}
