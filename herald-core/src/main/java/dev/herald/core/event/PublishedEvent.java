package dev.herald.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An event as stored on its bus, in the native API's shape. */
public record PublishedEvent(
    EventId id,
    String bus,
    String source,
    String detailType,
    Instant time,
    Instant ingestedAt,
    List<String> resources,
    ObjectNode detail,
    Optional<String> orderingKey) {

  public PublishedEvent {
    resources = List.copyOf(resources);
  }
}
