package dev.herald.store.internal.db;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.random.RandomGenerator;

/**
 * Makes ids that sort by creation time: 26 characters of Crockford base32 encoding 48 bits of epoch
 * milliseconds then 80 bits that are random for the first id of a millisecond and counted up for
 * the next ones (the ULID layout, monotonic). Ids of one generator therefore sort in the order they
 * were made, also within a millisecond and if the clock steps back.
 *
 * <p><b>Thread safety.</b> {@link #next()} is synchronized; the generator's state (last time and
 * the 80 bits) is guarded by {@code this}.
 */
public final class SortableIds {
  static final int LENGTH = 26;
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final long MAX_48 = (1L << 48) - 1;

  private final InstantSource clock;
  private final RandomGenerator random;
  private long lastMillis = -1; // guarded by this
  private long high16; // guarded by this: the upper 16 of the 80 bits
  private long low64; // guarded by this: the lower 64 of the 80 bits

  public SortableIds(InstantSource clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
  }

  public SortableIds(InstantSource clock) {
    this(clock, new SecureRandom());
  }

  public synchronized String next() {
    long now = Math.min(Math.max(clock.millis(), lastMillis), MAX_48);
    if (now == lastMillis && increment()) {
      return encode(now, high16, low64);
    }
    lastMillis = now == lastMillis ? now + 1 : now; // a full counter moves on to the next ms
    high16 = random.nextLong() & 0xFFFF;
    low64 = random.nextLong();
    return encode(lastMillis, high16, low64);
  }

  /** Adds one to the 80 bits; false when they were all ones. */
  private boolean increment() {
    low64++;
    if (low64 != 0) {
      return true;
    }
    high16 = (high16 + 1) & 0xFFFF;
    return high16 != 0;
  }

  /** Big-endian base32 of the 128 bits (millis, high16, low64); the first character holds 3. */
  static String encode(long millis, long high16, long low64) {
    long hi = (millis << 16) | high16;
    long lo = low64;
    char[] out = new char[LENGTH];
    for (int i = LENGTH - 1; i >= 0; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo = (lo >>> 5) | (hi << 59);
      hi >>>= 5;
    }
    return new String(out);
  }
}
