package dev.herald.bench.load;

import java.util.concurrent.locks.LockSupport;

/** Waits for a while; injectable so that a test can advance a fake clock instead. */
@FunctionalInterface
public interface Sleeper {

  void sleepNanos(long nanos);

  /** Parks the calling thread (it may wake early; callers re-check their clock). */
  static Sleeper parking() {
    return LockSupport::parkNanos;
  }
}
