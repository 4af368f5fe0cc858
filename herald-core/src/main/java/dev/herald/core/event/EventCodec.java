package dev.herald.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bytes of an event on its bus topic, and the JSON shapes of the API.
 *
 * <p>A bus record holds {@code {source, detailType, time, resources, detail[, orderingKey]}} as
 * UTF-8 JSON; the record key is the ordering key (or none). The event id, the bus and the ingestion
 * time are not in the value: they are the record's coordinates and timestamp, so nothing can
 * disagree with where the event actually is. Stateless and thread-safe.
 */
public final class EventCodec {

  private EventCodec() {}

  public static byte[] value(NewEvent event) {
    ObjectNode node = Json.object();
    node.put("source", event.source());
    node.put("detailType", event.detailType());
    node.put("time", event.time().toString());
    ArrayNode resources = node.putArray("resources");
    event.resources().forEach(resources::add);
    node.set("detail", event.detail());
    event.orderingKey().ifPresent(key -> node.put("orderingKey", key));
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Kafka key of an event: its ordering key, or none (spread over partitions). */
  public static Optional<byte[]> key(NewEvent event) {
    return event.orderingKey().map(k -> k.getBytes(StandardCharsets.UTF_8));
  }

  /** Rebuilds a stored event from its record. */
  public static PublishedEvent decode(EventId id, String bus, byte[] value) {
    try {
      JsonNode node = Json.MAPPER.readTree(value);
      List<String> resources = new ArrayList<>();
      node.path("resources").forEach(r -> resources.add(r.asText()));
      JsonNode key = node.get("orderingKey");
      return new PublishedEvent(
          id,
          bus,
          node.path("source").asText(),
          node.path("detailType").asText(),
          Instant.parse(node.path("time").asText()),
          id.ingestedAt(),
          resources,
          (ObjectNode) node.path("detail"),
          key == null ? Optional.empty() : Optional.of(key.asText()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("bus record of event " + id + " is not an event", e);
    }
  }

  /** The native API's shape of a stored event. */
  public static ObjectNode toJson(PublishedEvent event) {
    ObjectNode node = Json.object();
    node.put("id", event.id().toString());
    node.put("bus", event.bus());
    node.put("source", event.source());
    node.put("detailType", event.detailType());
    node.put("time", event.time().toString());
    node.put("ingestedAt", event.ingestedAt().toString());
    ArrayNode resources = node.putArray("resources");
    event.resources().forEach(resources::add);
    node.set("detail", event.detail());
    event.orderingKey().ifPresent(key -> node.put("orderingKey", key));
    return node;
  }
}
