package dev.herald.engine.router;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.herald.core.event.EventId;
import dev.herald.core.routing.RoutingTable.Delivery;
import dev.herald.engine.bus.EventAppender;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The header of a target record: which event, bus, rule and delivery it is, when the event was
 * ingested, whether the input is JSON, and what the bus record carried: the trace context and the
 * event's hops (how many times bus targets re-published it).
 *
 * <p>All of it travels in one binary header, {@value #META}, written once by the router and read
 * once per record by the delivery consumer: version byte {@code 1}, then the event id, bus, rule
 * and delivery key as length-prefixed UTF-8, the ingestion time in epoch milliseconds (8 bytes), a
 * flags byte (bit 0: the input is JSON, bit 1: a traceparent follows), the hops (4 bytes) and the
 * traceparent when present. It replaced six text headers whose writing and string lookups were a
 * third of the router's and the delivery consumer's own time. Records written before it (one text
 * header per field) are still read.
 */
public final class TargetHeaders {
  public static final String META = "herald";
  public static final String TRACEPARENT = "traceparent";
  public static final String HOPS = EventAppender.HOPS;

  /** The header of a target record a replay wrote: the replay's name (UTF-8). */
  public static final String REPLAY = "herald-replay";

  private static final byte VERSION = 1;
  private static final int JSON = 1;
  private static final int TRACED = 2;

  /** What a target record says about its delivery. */
  public record Meta(
      String eventId,
      String bus,
      String rule,
      String deliveryKey,
      Instant ingestedAt,
      boolean json,
      Optional<String> traceparent,
      int hops) {}

  private TargetHeaders() {}

  /** The W3C trace context a bus record carries, if any. */
  static Optional<String> traceparent(Headers source) {
    return text(source, TRACEPARENT);
  }

  /** Writes the header of a target record carrying on the bus record's trace context. */
  static void write(
      Headers headers, EventId id, String bus, Delivery.Ready delivery, Headers source) {
    write(headers, id, bus, delivery, source, traceparent(source));
  }

  /** Writes the header of a target record; {@code traceparent} is the context it carries on. */
  static void write(
      Headers headers,
      EventId id,
      String bus,
      Delivery.Ready delivery,
      Headers source,
      Optional<String> traceparent) {
    headers.add(
        META,
        encode(
            new Meta(
                id.toString(),
                bus,
                delivery.rule(),
                delivery.deliveryKey(),
                id.ingestedAt(),
                delivery.json(),
                traceparent,
                hops(source))));
  }

  /**
   * The {@link #META} header's value for a delivery (public for tests that write target records).
   */
  public static byte[] encode(Meta meta) {
    byte[] eventId = meta.eventId().getBytes(UTF_8);
    byte[] bus = meta.bus().getBytes(UTF_8);
    byte[] rule = meta.rule().getBytes(UTF_8);
    byte[] key = meta.deliveryKey().getBytes(UTF_8);
    byte[] trace = meta.traceparent().map(t -> t.getBytes(UTF_8)).orElse(new byte[0]);
    ByteBuffer out =
        ByteBuffer.allocate(
            1
                + 4 * 4
                + eventId.length
                + bus.length
                + rule.length
                + key.length
                + 8
                + 1
                + 4
                + (meta.traceparent().isPresent() ? 4 + trace.length : 0));
    out.put(VERSION);
    putString(out, eventId);
    putString(out, bus);
    putString(out, rule);
    putString(out, key);
    out.putLong(meta.ingestedAt().toEpochMilli());
    out.put((byte) ((meta.json() ? JSON : 0) | (meta.traceparent().isPresent() ? TRACED : 0)));
    out.putInt(meta.hops());
    if (meta.traceparent().isPresent()) {
      putString(out, trace);
    }
    return out.array();
  }

  /**
   * The delivery a target record describes; empty when it carries neither the binary header nor the
   * text headers of older records, or when they are damaged (Herald never writes such a one).
   */
  public static Optional<Meta> read(Headers headers, long recordTimestamp) {
    Header meta = headers.lastHeader(META);
    if (meta != null) {
      return decode(meta.value());
    }
    return legacy(headers, recordTimestamp);
  }

  private static Optional<Meta> decode(byte[] value) {
    try {
      ByteBuffer in = ByteBuffer.wrap(value);
      if (in.get() != VERSION) {
        return Optional.empty();
      }
      String eventId = getString(in);
      String bus = getString(in);
      String rule = getString(in);
      String key = getString(in);
      Instant ingestedAt = Instant.ofEpochMilli(in.getLong());
      int flags = in.get();
      int hops = Math.max(0, in.getInt());
      Optional<String> trace =
          (flags & TRACED) != 0 ? Optional.of(getString(in)) : Optional.empty();
      return Optional.of(
          new Meta(eventId, bus, rule, key, ingestedAt, (flags & JSON) != 0, trace, hops));
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A record of a release before the binary header: one text header per field. */
  private static Optional<Meta> legacy(Headers headers, long recordTimestamp) {
    Optional<String> key = text(headers, "herald-delivery-key");
    Optional<String> eventId = text(headers, "herald-event-id");
    if (key.isEmpty() || eventId.isEmpty()) {
      return Optional.empty();
    }
    Instant ingestedAt;
    try {
      ingestedAt =
          Instant.ofEpochMilli(
              text(headers, "herald-ingested-at").map(Long::parseLong).orElse(recordTimestamp));
    } catch (NumberFormatException e) {
      ingestedAt = Instant.ofEpochMilli(recordTimestamp);
    }
    return Optional.of(
        new Meta(
            eventId.get(),
            text(headers, "herald-bus").orElse(""),
            text(headers, "herald-rule").orElse(""),
            key.get(),
            ingestedAt,
            !"text".equals(text(headers, "herald-input").orElse("json")),
            text(headers, TRACEPARENT),
            hops(headers)));
  }

  /**
   * The hops of a bus record (or an older target record): 0 when the header is absent. A value that
   * is not a non-negative number (Herald never writes one) counts as 0.
   */
  public static int hops(Headers headers) {
    try {
      return text(headers, HOPS).map(h -> Math.max(0, Integer.parseInt(h.trim()))).orElse(0);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The replay that wrote a target record, if a replay did. */
  public static Optional<String> replay(Headers headers) {
    return text(headers, REPLAY);
  }

  private static Optional<String> text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null ? Optional.empty() : Optional.of(new String(header.value(), UTF_8));
  }

  private static void putString(ByteBuffer out, byte[] utf8) {
    out.putInt(utf8.length);
    out.put(utf8);
  }

  private static String getString(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("damaged target header");
    }
    String value = new String(in.array(), in.position(), length, UTF_8);
    in.position(in.position() + length);
    return value;
  }
}
