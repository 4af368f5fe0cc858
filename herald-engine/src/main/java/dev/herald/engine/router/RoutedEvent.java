package dev.herald.engine.router;

import dev.herald.core.routing.RoutingTable.Delivery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the router did with one event: its deliveries, pending or (shaping failed) dead letters.
 *
 * @param envelopeJson the delivered envelope, present when a delivery failed (for its dead letter)
 */
public record RoutedEvent(
    String eventId,
    String bus,
    Instant routedAt,
    List<Delivery> deliveries,
    Optional<String> envelopeJson) {

  public RoutedEvent {
    deliveries = List.copyOf(deliveries);
  }
}
