package dev.herald.engine.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that moves only when a test says so. Thread-safe: the instant is volatile. */
public final class FakeClock implements InstantSource {
  private volatile Instant now;

  public FakeClock(Instant start) {
    this.now = start;
  }

  @Override
  public Instant instant() {
    return now;
  }

  public void advance(Duration step) {
    now = now.plus(step);
  }
}
