package dev.herald.core.event;

import java.time.Instant;
import java.util.Optional;

/**
 * The id of a stored event: a 26-character Crockford base32 string, sortable by ingestion time,
 * that encodes where the event lives.
 *
 * <p>Layout of the 128 bits (most significant first): 48 bits of ingestion time in epoch
 * milliseconds, 16 bits of bus ordinal, 16 bits of partition, 48 bits of offset. Because the id is
 * derived from the record's coordinates, reading an event back is one seek to (bus topic,
 * partition, offset) whatever the number of events, and every consumer of the bus topic computes
 * the same id from the record alone. The time is checked against the record's timestamp on read, so
 * an id that points at a recycled offset is not found rather than answered wrongly.
 */
public record EventId(long ingestedAtMillis, int busOrdinal, int partition, long offset)
    implements Comparable<EventId> {

  public static final int LENGTH = 26;
  static final long MAX_48 = (1L << 48) - 1;
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final int[] DECODE = new int[128];

  static {
    java.util.Arrays.fill(DECODE, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      DECODE[ALPHABET[i]] = i;
      DECODE[Character.toLowerCase(ALPHABET[i])] = i;
    }
  }

  public EventId {
    if (ingestedAtMillis < 0 || ingestedAtMillis > MAX_48) {
      throw new IllegalArgumentException("ingestedAtMillis out of range: " + ingestedAtMillis);
    }
    if (busOrdinal < 0 || busOrdinal > 0xFFFF) {
      throw new IllegalArgumentException("busOrdinal out of range: " + busOrdinal);
    }
    if (partition < 0 || partition > 0xFFFF) {
      throw new IllegalArgumentException("partition out of range: " + partition);
    }
    if (offset < 0 || offset > MAX_48) {
      throw new IllegalArgumentException("offset out of range: " + offset);
    }
  }

  public Instant ingestedAt() {
    return Instant.ofEpochMilli(ingestedAtMillis);
  }

  /** Parses an id; empty when the text is not a well-formed event id. */
  public static Optional<EventId> parse(String text) {
    if (text == null || text.length() != LENGTH) {
      return Optional.empty();
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < LENGTH; i++) {
      char c = text.charAt(i);
      int v = c < 128 ? DECODE[c] : -1;
      if (v < 0 || (i == 0 && v > 7)) { // 26 x 5 = 130 bits: the first char holds 3
        return Optional.empty();
      }
      // shift the 128-bit (hi, lo) left by 5 and add v
      hi = (hi << 5) | (lo >>> 59);
      lo = (lo << 5) | v;
    }
    long time = hi >>> 16;
    int bus = (int) (hi & 0xFFFF);
    int partition = (int) (lo >>> 48);
    long offset = lo & MAX_48;
    return Optional.of(new EventId(time, bus, partition, offset));
  }

  @Override
  public String toString() {
    long hi = (ingestedAtMillis << 16) | busOrdinal;
    long lo = ((long) partition << 48) | offset;
    char[] out = new char[LENGTH];
    for (int i = LENGTH - 1; i >= 0; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo = (lo >>> 5) | (hi << 59);
      hi = hi >>> 5;
    }
    return new String(out);
  }

  @Override
  public int compareTo(EventId other) {
    return toString().compareTo(other.toString());
  }
}
