package dev.herald.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the router did with one event: the journey shown by {@code GET /v1/events/{id}}.
 *
 * @param eventId the event's id, the key of the routing
 * @param bus the bus the event was published to
 * @param routedAt when the router evaluated the rules
 * @param deliveries one entry per (rule, target) that matched, in the router's order; empty when no
 *     rule matched
 */
public record Routing(
    String eventId, String bus, Instant routedAt, List<RoutedDelivery> deliveries) {

  public Routing {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(routedAt, "routedAt");
    deliveries = List.copyOf(deliveries);
    if (eventId.isEmpty()) {
      throw new IllegalArgumentException("eventId must not be empty");
    }
  }
}
