package dev.herald.engine.router;

import dev.herald.core.event.EventId;
import dev.herald.core.routing.RoutingTable.Delivery;
import dev.herald.core.trace.Span;
import dev.herald.core.trace.Tracing;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Headers;

/**
 * The routing spans of one router: one span ({@code herald.route}, kind consumer) per event that
 * matched at least one rule, a child of the bus record's trace context (the ingest span's); its own
 * context goes into the event's target records, so that the attempts are its children. A span lasts
 * from matching to the end of its batch (target records acknowledged, journey recorded). Per event
 * rather than per batch with links, so that ingest, routing and attempts share one trace; with a
 * parent-based sampler an unsampled event costs no span at all ({@link Span#NONE}).
 *
 * <p>Not thread-safe: used by the router's thread only.
 */
final class RouteSpans {
  private final Tracing tracing;
  private final String bus;
  private final List<Span> open = new ArrayList<>();

  RouteSpans(Tracing tracing, String bus) {
    this.tracing = tracing;
    this.bus = bus;
  }

  /**
   * Starts the span of an event routed to {@code routes}; answers the trace context its target
   * records carry: the span's, or the bus record's when no span is recorded.
   */
  Optional<String> start(Headers source, EventId id, List<Delivery> routes) {
    Optional<String> incoming = TargetHeaders.traceparent(source);
    if (!tracing.enabled()) {
      return incoming;
    }
    Span span = tracing.start("herald.route", Tracing.Kind.CONSUMER, incoming);
    if (!span.recording()) {
      span.end();
      return span.traceparentOr(incoming);
    }
    Set<String> rules = new LinkedHashSet<>();
    Set<String> targets = new LinkedHashSet<>();
    for (Delivery delivery : routes) {
      switch (delivery) {
        case Delivery.Ready ready -> {
          rules.add(ready.rule());
          targets.add(ready.target());
        }
        case Delivery.Failed failed -> {
          rules.add(failed.rule());
          targets.add(failed.target());
        }
      }
    }
    span.set("herald.bus", bus)
        .set("herald.event_id", id.toString())
        .set("herald.deliveries", routes.size())
        .set("herald.rules", List.copyOf(rules))
        .set("herald.targets", List.copyOf(targets));
    open.add(span);
    return span.traceparentOr(incoming);
  }

  /** Ends the spans of the batch just routed. */
  void routed() {
    open.forEach(Span::end);
    open.clear();
  }

  /** Ends the spans of a batch that failed (it is rewound and routed again, with new spans). */
  void failed(RuntimeException e) {
    for (Span span : open) {
      span.fail("RouteFailed", String.valueOf(e.getMessage()));
      span.end();
    }
    open.clear();
  }
}
