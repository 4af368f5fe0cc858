package dev.herald.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated entry of a publish request, not yet stored.
 *
 * @param clientId the producer's own id, deduplicated per bus for a while
 */
public record NewEvent(
    String bus,
    String source,
    String detailType,
    Instant time,
    List<String> resources,
    ObjectNode detail,
    Optional<String> orderingKey,
    Optional<String> clientId) {

  public NewEvent {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(detailType, "detailType");
    Objects.requireNonNull(time, "time");
    resources = List.copyOf(resources);
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(orderingKey, "orderingKey");
    Objects.requireNonNull(clientId, "clientId");
  }
}
