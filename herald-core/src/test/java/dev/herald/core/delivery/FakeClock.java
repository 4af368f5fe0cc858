package dev.herald.core.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.LongSupplier;

/** A clock tests move by hand: an {@link InstantSource} and a nanosecond ticker. */
final class FakeClock implements InstantSource, LongSupplier {
  private Instant now;

  FakeClock(Instant start) {
    this.now = start;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public long getAsLong() {
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  void advance(Duration by) {
    now = now.plus(by);
  }
}
