package dev.herald.bench.load;

/** A monotonic clock in nanoseconds, injectable so that schedules can be tested without sleeps. */
@FunctionalInterface
public interface NanoClock {

  long nanoTime();

  /** The JVM's monotonic clock. */
  static NanoClock system() {
    return System::nanoTime;
  }
}
