package dev.herald.core.routing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.EventCodec;
import dev.herald.core.event.EventId;
import dev.herald.core.event.PublishedEvent;
import dev.herald.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An event read from its bus record, ready to route: the event, its {@link Envelope} as a tree
 * (what patterns and shaping look at) and the envelope's JSON bytes (what an unshaped delivery
 * carries).
 *
 * <p>The bytes are made in one pass over the record: the envelope's fields are written and the
 * record's {@code detail} is copied as it is, not re-serialized from the tree. The record's detail
 * was written by {@link EventCodec#value} from a parsed tree, so copying it gives the very bytes
 * re-serializing would. Immutable once read; the byte array is shared by every delivery of the
 * event and must not be modified.
 */
public record RoutableEvent(PublishedEvent event, ObjectNode envelope, byte[] envelopeBytes) {

  private static final byte[] DETAIL_FIELD = ",\"detail\":".getBytes(StandardCharsets.UTF_8);

  /** Reads a bus record (the shape {@link EventCodec#value} writes). */
  public static RoutableEvent read(
      EventId id, String bus, byte[] value, String account, String region) {
    try (JsonParser parser = Json.MAPPER.createParser(value)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      String source = "";
      String detailType = "";
      String time = null;
      List<String> resources = new ArrayList<>();
      Optional<String> orderingKey = Optional.empty();
      ObjectNode detail = null;
      int detailFrom = 0;
      int detailTo = 0;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        switch (field) {
          case "source" -> source = parser.getValueAsString("");
          case "detailType" -> detailType = parser.getValueAsString("");
          case "time" -> time = parser.getValueAsString();
          case "orderingKey" -> orderingKey = Optional.ofNullable(parser.getValueAsString());
          case "resources" -> {
            if (token == JsonToken.START_ARRAY) {
              while (parser.nextToken() != JsonToken.END_ARRAY) {
                resources.add(parser.getValueAsString(""));
              }
            }
          }
          case "detail" -> {
            detailFrom = (int) parser.currentTokenLocation().getByteOffset();
            JsonNode node = parser.readValueAsTree();
            detailTo = (int) parser.currentLocation().getByteOffset();
            detail = node instanceof ObjectNode object ? object : null;
          }
          default -> parser.skipChildren();
        }
      }
      if (time == null || detail == null) {
        throw new IllegalArgumentException("no " + (time == null ? "time" : "detail object"));
      }
      PublishedEvent event =
          new PublishedEvent(
              id,
              bus,
              source,
              detailType,
              Instant.parse(time),
              id.ingestedAt(),
              resources,
              detail,
              orderingKey);
      ObjectNode envelope = Envelope.of(event, account, region, Optional.empty());
      byte[] bytes = envelopeBytes(event, account, region, value, detailFrom, detailTo);
      return new RoutableEvent(event, envelope, bytes);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("bus record of event " + id + " is not an event", e);
    }
  }

  /**
   * The same event as a replay delivers it: its envelope carries {@code "replay-name"} (last, as
   * {@link Envelope#of} writes it), in the tree and in the bytes. Not on the hot path: the bytes
   * are written again from the tree.
   */
  public RoutableEvent replayed(String replayName) {
    ObjectNode marked = envelope.deepCopy();
    marked.put("replay-name", replayName);
    try {
      return new RoutableEvent(event, marked, Json.MAPPER.writeValueAsBytes(marked));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the envelope of " + event.id(), e);
    }
  }

  /** The envelope's fields in {@link Envelope#of}'s order, then the record's detail bytes. */
  private static byte[] envelopeBytes(
      PublishedEvent event, String account, String region, byte[] value, int from, int to)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + value.length);
    try (JsonGenerator json = Json.MAPPER.createGenerator(out)) {
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT); // the object stays open
      json.writeStartObject();
      json.writeStringField("version", "0");
      json.writeStringField("id", event.id().toString());
      json.writeStringField("detail-type", event.detailType());
      json.writeStringField("source", event.source());
      json.writeStringField("account", account);
      json.writeStringField("time", event.time().toString());
      json.writeStringField("region", region);
      json.writeArrayFieldStart("resources");
      for (String resource : event.resources()) {
        json.writeString(resource);
      }
      json.writeEndArray();
    }
    // the generator flushed on close; the detail and the closing brace follow as bytes
    out.write(DETAIL_FIELD);
    out.write(value, from, to - from);
    out.write('}');
    return out.toByteArray();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RoutableEvent that
        && event.equals(that.event)
        && envelope.equals(that.envelope)
        && Arrays.equals(envelopeBytes, that.envelopeBytes);
  }

  @Override
  public int hashCode() {
    return event.hashCode() * 31 + Arrays.hashCode(envelopeBytes);
  }

  @Override
  public String toString() {
    return "RoutableEvent[" + event.id() + "]";
  }
}
