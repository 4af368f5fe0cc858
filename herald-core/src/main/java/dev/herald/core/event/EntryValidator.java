package dev.herald.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validates one entry of {@code POST /v1/events} and turns it into a {@link NewEvent}. Stateless
 * and thread-safe; the caller passes "now" so that the clock stays injectable.
 */
public final class EntryValidator {
  public static final String DEFAULT_BUS = "default";
  static final int MAX_TEXT = 256;
  static final int MAX_CLIENT_ID = 128;
  static final int MAX_RESOURCES = 100;
  private static final Set<String> FIELDS =
      new TreeSet<>(
          Set.of(
              "bus", "source", "detailType", "detail", "time", "resources", "orderingKey", "id"));

  private EntryValidator() {}

  public static EntryCheck check(JsonNode entry, Instant now) {
    try {
      return new EntryCheck.Valid(parse(entry, now));
    } catch (Rejected e) {
      return e.invalid;
    }
  }

  private static NewEvent parse(JsonNode entry, Instant now) {
    if (entry == null || !entry.isObject()) {
      throw invalid("an entry must be a JSON object", "");
    }
    for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!FIELDS.contains(name)) {
        throw invalid("unknown field '" + name + "'; allowed: " + String.join(", ", FIELDS), name);
      }
    }
    String bus = optionalText(entry, "bus", 64).orElse(DEFAULT_BUS);
    if (!Names.isValid(bus)) {
      throw invalid("bus must be a name of " + Names.describe(), "bus");
    }
    String source = requiredText(entry, "source");
    String detailType = requiredText(entry, "detailType");
    JsonNode detail = entry.get("detail");
    if (absent(detail)) {
      throw new Rejected(EntryErrors.MISSING_FIELD, "detail is required", "detail");
    }
    if (!detail.isObject()) {
      throw invalid(
          "detail must be a JSON object, not "
              + detail.getNodeType().name().toLowerCase(Locale.ROOT),
          "detail");
    }
    return new NewEvent(
        bus,
        source,
        detailType,
        time(entry.get("time"), now),
        resources(entry.get("resources")),
        (ObjectNode) detail,
        optionalText(entry, "orderingKey", MAX_TEXT),
        optionalText(entry, "id", MAX_CLIENT_ID));
  }

  private static String requiredText(JsonNode entry, String field) {
    if (absent(entry.get(field))) {
      throw new Rejected(EntryErrors.MISSING_FIELD, field + " is required", field);
    }
    String text = optionalText(entry, field, MAX_TEXT).orElseThrow();
    if (text.isBlank()) {
      throw invalid(field + " must not be blank", field);
    }
    return text;
  }

  private static Optional<String> optionalText(JsonNode entry, String field, int max) {
    JsonNode node = entry.get(field);
    if (absent(node)) {
      return Optional.empty();
    }
    if (!node.isTextual() || node.asText().isEmpty() || node.asText().length() > max) {
      throw invalid(field + " must be a non-empty string of at most " + max + " characters", field);
    }
    return Optional.of(node.asText());
  }

  private static Instant time(JsonNode node, Instant now) {
    if (absent(node)) {
      return now;
    }
    try {
      if (node.isTextual()) {
        Instant time = OffsetDateTime.parse(node.asText()).toInstant();
        if (!EventTimes.inRange(time)) {
          throw invalid(
              "time must be within " + EventTimes.describeRange() + ", got " + node, "time");
        }
        return time;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw invalid(
        "time must be an RFC 3339 timestamp such as 2026-11-26T10:00:00Z, got " + node, "time");
  }

  private static List<String> resources(JsonNode node) {
    if (absent(node)) {
      return List.of();
    }
    if (!node.isArray() || node.size() > MAX_RESOURCES) {
      throw invalid(
          "resources must be an array of at most " + MAX_RESOURCES + " strings", "resources");
    }
    List<String> resources = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      if (!node.get(i).isTextual()) {
        throw invalid("resources must be an array of strings", "resources[" + i + "]");
      }
      resources.add(node.get(i).asText());
    }
    return resources;
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull();
  }

  private static Rejected invalid(String message, String field) {
    return new Rejected(EntryErrors.INVALID_FIELD, message, field);
  }

  /** Internal control flow: carries the first problem found out of the nested checks. */
  private static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient EntryCheck.Invalid invalid;

    Rejected(String code, String message, String field) {
      super(message, null, false, false);
      this.invalid = new EntryCheck.Invalid(code, message, field);
    }
  }
}
