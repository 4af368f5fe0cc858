package dev.herald.core.event;

import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A search of a bus's recent events ({@code GET /v1/events}): the bus, exact {@code source} and
 * {@code detailType} when given, ingestion time in {@code [from, to)}, a page size and the cursor
 * of the page to go on from (the next offset of each partition). Every parameter is checked with an
 * error naming it. Immutable.
 */
public record EventQuery(
    String bus,
    Optional<String> source,
    Optional<String> detailType,
    Instant from,
    Instant to,
    int limit,
    Optional<Map<Integer, Long>> after) {

  /** The query parameters {@link #parse} reads. */
  public static final Set<String> PARAMETERS =
      Set.of("bus", "source", "detailType", "from", "to", "limit", "after");

  /** {@code from} when only {@code to} (or neither) is given: the hour before. */
  public static final Duration DEFAULT_RANGE = Duration.ofHours(1);

  public EventQuery {
    after = after.map(a -> Map.copyOf(new TreeMap<>(a)));
  }

  /** Whether an event passes the source and detail-type filters (the time is the reader's). */
  public boolean accepts(PublishedEvent event) {
    return source.map(s -> s.equals(event.source())).orElse(true)
        && detailType.map(d -> d.equals(event.detailType())).orElse(true);
  }

  /**
   * Reads the parameters (each at most once); defaults: bus {@code default}, {@code to} now, {@code
   * from} an hour before {@code to}, limit 100.
   */
  public static EventQuery parse(Map<String, String> parameters, Instant now) {
    String bus = parameters.getOrDefault("bus", EntryValidator.DEFAULT_BUS);
    if (!Names.isValid(bus)) {
      throw new ConfigException.Invalid(
          "bus", "bus must be a bus name ([A-Za-z0-9._-]{1,64}), got '" + bus + "'");
    }
    Optional<String> source = text(parameters, "source");
    Optional<String> detailType = text(parameters, "detailType");
    Instant to = Optional.ofNullable(parameters.get("to")).map(t -> time("to", t)).orElse(now);
    Instant from =
        Optional.ofNullable(parameters.get("from"))
            .map(f -> time("from", f))
            .orElse(to.minus(DEFAULT_RANGE));
    if (!from.isBefore(to)) {
      throw new ConfigException.Invalid(
          "from", "from must be before to, got from=" + from + " and to=" + to);
    }
    int limit = Page.limit(Optional.ofNullable(parameters.get("limit")));
    Optional<Map<Integer, Long>> after =
        Optional.ofNullable(parameters.get("after")).map(EventQuery::cursor);
    return new EventQuery(bus, source, detailType, from, to, limit, after);
  }

  private static Optional<String> text(Map<String, String> parameters, String name) {
    String value = parameters.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value.isEmpty() || value.length() > 256) {
      throw new ConfigException.Invalid(
          name, name + " must be 1 to 256 characters, got " + value.length());
    }
    return Optional.of(value);
  }

  private static Instant time(String field, String text) {
    try {
      Instant time = OffsetDateTime.parse(text).toInstant();
      if (EventTimes.inRange(time)) {
        return time;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new ConfigException.Invalid(
        field,
        field
            + " must be an RFC 3339 time such as 2026-11-26T10:00:00Z (send a + offset as %2B), got '"
            + text
            + "'");
  }

  /** The cursor of the next page: {@code partition:offset,...} in base64url. */
  public static String cursor(Map<Integer, Long> next) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(next)
        .forEach((p, o) -> text.append(text.isEmpty() ? "" : ",").append(p).append(':').append(o));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Map<Integer, Long> cursor(String text) {
    ConfigException.Invalid invalid =
        new ConfigException.Invalid("after", "after is not a cursor returned by this API");
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      Map<Integer, Long> offsets = new TreeMap<>();
      for (String part : decoded.split(",", -1)) {
        String[] pair = part.split(":", -1);
        if (pair.length != 2) {
          throw invalid;
        }
        int partition = Integer.parseInt(pair[0]);
        long offset = Long.parseLong(pair[1]);
        if (partition < 0
            || partition > 65535
            || offset < 0
            || offsets.put(partition, offset) != null) {
          throw invalid;
        }
      }
      return offsets;
    } catch (IllegalArgumentException e) {
      throw invalid;
    }
  }
}
