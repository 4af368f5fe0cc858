package dev.herald.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * One delivery to append to the audit log: what an {@code audit} target received.
 *
 * @param deliveryKey the delivery's stable key; the log holds at most one entry per key
 * @param eventId the event delivered
 * @param bus the event's bus, when known
 * @param source the envelope's {@code source}, when the delivered input has one
 * @param detailType the envelope's {@code detail-type}, when the delivered input has one
 * @param eventTime the envelope's {@code time} (kept to the millisecond), when it has a valid one
 * @param envelope the delivered input as received: the delivered envelope, or the rule's shaped
 *     input; hashed and stored as this text
 */
public record AuditRecord(
    String deliveryKey,
    String eventId,
    Optional<String> bus,
    Optional<String> source,
    Optional<String> detailType,
    Optional<Instant> eventTime,
    String envelope) {

  public AuditRecord {
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(detailType, "detailType");
    Objects.requireNonNull(envelope, "envelope");
    if (deliveryKey.isEmpty()) {
      throw new IllegalArgumentException("deliveryKey must not be empty");
    }
    eventTime = eventTime.map(t -> t.truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * The record of a delivered input: {@code source}, {@code detail-type} and {@code time} are read
   * from it when it is a JSON object that has them (a delivered envelope does), and are empty
   * otherwise (a shaped input, plain text). The bus is left empty.
   */
  public static AuditRecord of(String deliveryKey, String eventId, String envelope) {
    JsonNode node = parse(envelope);
    return new AuditRecord(
        deliveryKey,
        eventId,
        Optional.empty(),
        text(node, "source"),
        text(node, "detail-type"),
        text(node, "time").flatMap(AuditRecord::instant),
        envelope);
  }

  /** This record with the bus {@code name}. */
  public AuditRecord withBus(String name) {
    return new AuditRecord(
        deliveryKey, eventId, Optional.of(name), source, detailType, eventTime, envelope);
  }

  private static JsonNode parse(String text) {
    try {
      JsonNode node = Json.MAPPER.readTree(text);
      return node == null ? Json.object() : node;
    } catch (IOException e) {
      return Json.object(); // plain text or not JSON: nothing to read from it
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }
}
