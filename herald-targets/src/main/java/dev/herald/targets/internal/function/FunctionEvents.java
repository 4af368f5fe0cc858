package dev.herald.targets.internal.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.Event;
import dev.herald.api.delivery.Delivery;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the {@link Event} a handler sees from a delivery: the envelope's fields when the input is
 * the delivered envelope, only the id and the input when the rule shaped it. The input is copied,
 * so a handler cannot change Herald's bytes. Stateless.
 */
final class FunctionEvents {
  private FunctionEvents() {}

  static Event of(Delivery delivery) {
    byte[] input = delivery.input().clone();
    Optional<JsonNode> envelope = delivery.json() ? envelope(input) : Optional.empty();
    if (envelope.isEmpty()) {
      return new Event(
          delivery.eventId(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          Optional.empty(),
          Optional.empty(),
          input,
          delivery.json());
    }
    JsonNode e = envelope.get();
    return new Event(
        delivery.eventId(),
        text(e, "source"),
        text(e, "detail-type"),
        text(e, "time").flatMap(FunctionEvents::instant),
        resources(e),
        detail(e),
        text(e, "replay-name"),
        input,
        true);
  }

  /** The input as an envelope, if it is one: an object with {@code id, source, detail-type}. */
  private static Optional<JsonNode> envelope(byte[] input) {
    try {
      JsonNode node = Json.MAPPER.readTree(input);
      boolean envelope =
          node != null
              && node.isObject()
              && node.path("id").isTextual()
              && node.path("source").isTextual()
              && node.path("detail-type").isTextual();
      return envelope ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static List<String> resources(JsonNode envelope) {
    List<String> resources = new ArrayList<>();
    envelope.path("resources").forEach(r -> resources.add(r.asText()));
    return resources;
  }

  private static Optional<String> detail(JsonNode envelope) {
    JsonNode detail = envelope.get("detail");
    if (detail == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.MAPPER.writeValueAsString(detail));
    } catch (JsonProcessingException e) {
      return Optional.empty(); // a tree just read always writes
    }
  }
}
