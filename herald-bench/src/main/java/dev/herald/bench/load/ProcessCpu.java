package dev.herald.bench.load;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/** CPU time used by this JVM, to report how much of the machine the load generator took. */
public final class ProcessCpu {

  private ProcessCpu() {}

  /** Process CPU time (user + system) so far in seconds, or NaN when the JVM cannot tell. */
  public static double seconds() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      long nanos = os.getProcessCpuTime();
      return nanos < 0 ? Double.NaN : nanos / 1e9;
    }
    return Double.NaN;
  }

  /**
   * Sleeps through the warm-up and the measured window of {@code window}, and returns the CPU
   * seconds this JVM used during the measured window.
   */
  public static double secondsDuring(NanoClock clock, Window window) throws InterruptedException {
    sleepUntil(clock, window.measureStartNanos());
    double before = seconds();
    sleepUntil(clock, window.endNanos());
    return seconds() - before;
  }

  private static void sleepUntil(NanoClock clock, long nanos) throws InterruptedException {
    for (long now = clock.nanoTime(); now < nanos; now = clock.nanoTime()) {
      Thread.sleep(Duration.ofNanos(Math.min(nanos - now, 100_000_000L)));
    }
  }
}
