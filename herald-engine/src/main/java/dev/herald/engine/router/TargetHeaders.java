package dev.herald.engine.router;

import dev.herald.core.event.EventId;
import dev.herald.core.routing.RoutingTable.Delivery;
import dev.herald.engine.bus.EventAppender;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The headers of a target record: which event, bus, rule and delivery it is, when the event was
 * ingested, whether the input is JSON, and what the bus record carried: the trace context and the
 * event's hops (how many times bus targets re-published it; absent means 0).
 */
public final class TargetHeaders {
  public static final String EVENT_ID = "herald-event-id";
  public static final String BUS = "herald-bus";
  public static final String RULE = "herald-rule";
  public static final String DELIVERY_KEY = "herald-delivery-key";
  public static final String INGESTED_AT = "herald-ingested-at";
  public static final String INPUT_FORMAT = "herald-input";
  public static final String TRACEPARENT = "traceparent";
  public static final String HOPS = EventAppender.HOPS;

  private TargetHeaders() {}

  static void write(
      Headers headers, EventId id, String bus, Delivery.Ready delivery, Headers source) {
    put(headers, EVENT_ID, id.toString());
    put(headers, BUS, bus);
    put(headers, RULE, delivery.rule());
    put(headers, DELIVERY_KEY, delivery.deliveryKey());
    put(headers, INGESTED_AT, Long.toString(id.ingestedAtMillis()));
    put(headers, INPUT_FORMAT, delivery.json() ? "json" : "text");
    Header trace = source.lastHeader(TRACEPARENT);
    if (trace != null) {
      headers.add(TRACEPARENT, trace.value());
    }
    Header hops = source.lastHeader(HOPS);
    if (hops != null) {
      headers.add(HOPS, hops.value());
    }
  }

  /**
   * The hops of a record (bus or target): 0 when the header is absent. A value that is not a
   * non-negative number (Herald never writes one) counts as 0.
   */
  public static int hops(Headers headers) {
    String text = read(headers, HOPS);
    if (text == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(text.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A header's text, or null when absent. */
  public static String read(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void put(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
