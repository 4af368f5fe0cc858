package dev.herald.server.config;

import dev.herald.core.routing.RoutingTable.Delivery;
import dev.herald.engine.router.RouteSink;
import dev.herald.engine.router.RoutedEvent;
import dev.herald.store.DeadLetter;
import dev.herald.store.DeliveryStatus;
import dev.herald.store.JournalStore;
import dev.herald.store.RoutedDelivery;
import dev.herald.store.Routing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records what the router did in the state store: one routing row per routed event (the journey of
 * {@code GET /v1/events/{id}}) and a dead letter for each delivery whose input shaping failed. Both
 * are one store call, so one transaction: a failure stores neither, and the router routes the batch
 * again. Thread-safe: stateless; the store serializes writes.
 */
public final class StoreRouteSink implements RouteSink {
  private final JournalStore store;

  public StoreRouteSink(JournalStore store) {
    this.store = store;
  }

  @Override
  public void record(List<RoutedEvent> routed) {
    List<Routing> routings = new ArrayList<>(routed.size());
    List<DeadLetter> deadLetters = new ArrayList<>();
    for (RoutedEvent event : routed) {
      List<RoutedDelivery> deliveries = new ArrayList<>(event.deliveries().size());
      for (Delivery delivery : event.deliveries()) {
        switch (delivery) {
          case Delivery.Ready ready ->
              deliveries.add(
                  new RoutedDelivery(
                      ready.rule(),
                      ready.target(),
                      ready.deliveryKey(),
                      DeliveryStatus.PENDING,
                      Optional.empty(),
                      Optional.empty()));
          case Delivery.Failed failed -> {
            deliveries.add(
                new RoutedDelivery(
                    failed.rule(),
                    failed.target(),
                    failed.deliveryKey(),
                    DeliveryStatus.DEAD_LETTERED,
                    Optional.of(failed.code()),
                    Optional.of(failed.message())));
            deadLetters.add(
                deadLetter(event.eventId(), failed, event.envelopeJson(), event.routedAt()));
          }
        }
      }
      routings.add(new Routing(event.eventId(), event.bus(), event.routedAt(), deliveries));
    }
    store.recordRoutings(routings, deadLetters);
  }

  /**
   * The dead letter of a delivery whose input shaping failed when {@code eventId} was routed (live
   * or replayed) at {@code at}: no attempt made, the shaping error, the envelope as routed.
   */
  public static DeadLetter deadLetter(
      String eventId, Delivery.Failed failed, Optional<String> envelopeJson, Instant at) {
    return new DeadLetter(
        null,
        failed.target(),
        failed.deliveryKey(),
        eventId,
        failed.rule(),
        envelopeJson.orElse("{}"),
        0,
        failed.code(),
        failed.message(),
        at,
        at);
  }
}
