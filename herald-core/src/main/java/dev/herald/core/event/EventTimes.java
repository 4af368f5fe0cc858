package dev.herald.core.event;

import java.time.Instant;

/**
 * The times Herald accepts from clients: years 0001 to 9999, the range RFC 3339 can write and every
 * store and sink (epoch milliseconds, SQL timestamps) can hold. Stateless.
 */
public final class EventTimes {
  public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
  public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private EventTimes() {}

  public static boolean inRange(Instant time) {
    return !time.isBefore(MIN) && !time.isAfter(MAX);
  }

  public static String describeRange() {
    return "years 0001 to 9999";
  }
}
