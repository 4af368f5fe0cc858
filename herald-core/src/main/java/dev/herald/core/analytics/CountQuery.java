package dev.herald.core.analytics;

import dev.herald.core.config.ConfigException;
import dev.herald.core.event.Names;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A question to the analytics store: how many events per key ({@code detailType} or {@code source})
 * and per interval between {@code from} (inclusive) and {@code to} (exclusive), for the {@code top}
 * keys by total, on one bus or all.
 *
 * <p>Counts are kept per minute of the events' {@code time}: a minute belongs to the range when its
 * start does ({@code from <= start < to}), and a point is the sum of the minutes of one interval,
 * labelled with the interval's start (UTC-aligned: whole minutes, hours, days). So the first point
 * may cover part of its interval only.
 *
 * <p>Every check names the query parameter at fault ({@link ConfigException.Invalid}). Immutable.
 *
 * @param bus the bus, or empty for every bus
 * @param top how many keys, those with the highest totals (ties by key)
 */
public record CountQuery(
    Optional<String> bus, GroupBy groupBy, Interval interval, Instant from, Instant to, int top) {

  /** The most points one series may have: {@code (to - from) / interval}. */
  public static final long MAX_POINTS = 10_000;

  public static final int DEFAULT_TOP = 10;
  public static final int MAX_TOP = 100;
  public static final Duration DEFAULT_RANGE = Duration.ofHours(1);

  /** The query parameters {@link #parse} reads. */
  public static final Set<String> PARAMETERS =
      Set.of("bus", "groupBy", "interval", "from", "to", "top");

  /** What a series is a count of. */
  public enum GroupBy {
    DETAIL_TYPE("detailType"),
    SOURCE("source");

    private final String wireName;

    GroupBy(String wireName) {
      this.wireName = wireName;
    }

    /** The name in the API: {@code detailType} or {@code source}. */
    public String wireName() {
      return wireName;
    }
  }

  /** The width of a point. */
  public enum Interval {
    MINUTE("1m", 1),
    HOUR("1h", 60),
    DAY("1d", 24 * 60);

    private final String wireName;
    private final int minutes;

    Interval(String wireName, int minutes) {
      this.wireName = wireName;
      this.minutes = minutes;
    }

    /** The name in the API: {@code 1m}, {@code 1h} or {@code 1d}. */
    public String wireName() {
      return wireName;
    }

    public int minutes() {
      return minutes;
    }

    /** The start of the interval that holds {@code minute} (epoch minutes), UTC-aligned. */
    public long bucketOf(long minute) {
      return Math.floorDiv(minute, minutes) * minutes;
    }
  }

  public CountQuery {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(groupBy, "groupBy");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (bus.isPresent() && !Names.isValid(bus.get())) {
      throw new ConfigException.Invalid(
          "bus", "bus must be " + Names.describe() + ", got '" + bus.get() + "'");
    }
    if (top < 1 || top > MAX_TOP) {
      throw new ConfigException.Invalid(
          "top", "top must be a whole number from 1 to " + MAX_TOP + ", got " + top);
    }
    if (!from.isBefore(to)) {
      throw new ConfigException.Invalid(
          "from", "from must be before to, got from=" + from + " and to=" + to);
    }
    long points = points(from, to, interval);
    if (points > MAX_POINTS) {
      throw new ConfigException.Invalid(
          "from",
          "from..to spans "
              + points
              + " intervals of "
              + interval.wireName()
              + ", more than "
              + MAX_POINTS
              + "; narrow the range or use a longer interval");
    }
  }

  /** The first minute counted, in epoch minutes: the first that starts at or after {@code from}. */
  public long fromMinute() {
    return minuteAtOrAfter(from);
  }

  /**
   * The first minute not counted, in epoch minutes: the first that starts at or after {@code to}.
   */
  public long toMinute() {
    return minuteAtOrAfter(to);
  }

  /** How many intervals the range touches, so how many points a series may have at most. */
  public long points() {
    return points(from, to, interval);
  }

  private static long points(Instant from, Instant to, Interval interval) {
    long first = minuteAtOrAfter(from);
    long end = minuteAtOrAfter(to);
    if (end <= first) {
      return 0;
    }
    return (interval.bucketOf(end - 1) - interval.bucketOf(first)) / interval.minutes() + 1;
  }

  private static long minuteAtOrAfter(Instant time) {
    long seconds = time.getEpochSecond();
    long minute = Math.floorDiv(seconds, 60);
    boolean onTheMinute = minute * 60 == seconds && time.getNano() == 0;
    return onTheMinute ? minute : minute + 1;
  }

  /**
   * Reads the query parameters of {@code GET /v1/analytics/counts}, with defaults: {@code
   * groupBy=detailType}, {@code interval=1m}, {@code to=now}, {@code from=to-1h}, {@code top=10},
   * every bus.
   *
   * @param parameters the first value of each query parameter
   * @throws ConfigException.Invalid naming the parameter at fault, an unknown one included
   */
  public static CountQuery parse(Map<String, String> parameters, Instant now) {
    for (String name : new TreeSet<>(parameters.keySet())) {
      if (!PARAMETERS.contains(name)) {
        throw new ConfigException.Invalid(
            "UnknownField",
            name,
            "unknown query parameter '" + name + "'; allowed: " + new TreeSet<>(PARAMETERS));
      }
    }
    Optional<String> bus = value(parameters, "bus");
    GroupBy groupBy =
        value(parameters, "groupBy").map(CountQuery::groupBy).orElse(GroupBy.DETAIL_TYPE);
    Interval interval =
        value(parameters, "interval").map(CountQuery::interval).orElse(Interval.MINUTE);
    Instant to = value(parameters, "to").map(t -> time("to", t)).orElse(now);
    Instant from =
        value(parameters, "from").map(f -> time("from", f)).orElse(to.minus(DEFAULT_RANGE));
    int top = value(parameters, "top").map(CountQuery::top).orElse(DEFAULT_TOP);
    return new CountQuery(bus, groupBy, interval, from, to, top);
  }

  private static Optional<String> value(Map<String, String> parameters, String name) {
    return Optional.ofNullable(parameters.get(name)).filter(v -> !v.isEmpty());
  }

  private static GroupBy groupBy(String text) {
    return Arrays.stream(GroupBy.values())
        .filter(g -> g.wireName().equals(text))
        .findFirst()
        .orElseThrow(
            () ->
                new ConfigException.Invalid(
                    "groupBy", "groupBy must be detailType or source, got '" + text + "'"));
  }

  private static Interval interval(String text) {
    return Arrays.stream(Interval.values())
        .filter(i -> i.wireName().equals(text.toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () ->
                new ConfigException.Invalid(
                    "interval", "interval must be 1m, 1h or 1d, got '" + text + "'"));
  }

  private static Instant time(String field, String text) {
    try {
      Instant time = Instant.parse(text);
      if (!dev.herald.core.event.EventTimes.inRange(time)) {
        throw new ConfigException.Invalid(
            field,
            field
                + " must be within "
                + dev.herald.core.event.EventTimes.describeRange()
                + ", got '"
                + text
                + "'");
      }
      return time;
    } catch (DateTimeParseException e) {
      throw new ConfigException.Invalid(
          field,
          field
              + " must be an RFC 3339 time such as 2026-11-26T10:00:00Z (a '+' offset must be"
              + " sent as %2B), got '"
              + text
              + "'");
    }
  }

  private static int top(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ConfigException.Invalid(
          "top", "top must be a whole number from 1 to " + MAX_TOP + ", got '" + text + "'");
    }
  }
}
