package dev.herald.targets.internal.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.delivery.Delivery;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A delivery as a CloudEvents 1.0 event in structured mode ({@code application/cloudevents+json},
 * {@code "format": "cloudevents"}) or binary mode ({@code ce-*} headers and the data as the body,
 * {@code "format": "cloudevents-binary"}).
 *
 * <p>From the delivered envelope: {@code id} = the event id, {@code source}, {@code type} = {@code
 * detail-type}, {@code time}, {@code subject} = the first of {@code resources} if any, {@code data}
 * = {@code detail}. Input shaped by the rule (no envelope) is sent as {@code data} as it is, with
 * {@code source} {@code herald:rule:<rule>} and {@code type} {@code dev.herald.shaped}; plain-text
 * input becomes a string {@code data} with {@code datacontenttype} {@code text/plain}. The rule is
 * in the extension attribute {@code heraldrule}.
 *
 * <p>Stateless.
 */
final class CloudEvents {
  static final String CONTENT_TYPE = "application/cloudevents+json";

  private CloudEvents() {}

  static byte[] structured(Delivery delivery) {
    try {
      return Json.MAPPER.writeValueAsBytes(event(delivery));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a tree of our own", e);
    }
  }

  /**
   * A delivery in binary mode: the same event as {@link #structured}, its attributes as {@code
   * ce-*} headers (values percent-encoded as the HTTP binding says), {@code datacontenttype} as the
   * {@code Content-Type} and {@code data} as the body.
   */
  static Binary binary(Delivery delivery) {
    ObjectNode event = event(delivery);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (var fields = event.fields(); fields.hasNext(); ) {
      var field = fields.next();
      String name = field.getKey();
      if (!name.equals("data") && !name.equals("datacontenttype")) {
        headers.add(Map.entry("ce-" + name, percentEncode(field.getValue().asText())));
      }
    }
    JsonNode data = event.get("data");
    String type = event.get("datacontenttype").asText();
    byte[] body;
    if (type.equals("text/plain")) {
      body = data.asText().getBytes(StandardCharsets.UTF_8);
      type = "text/plain; charset=utf-8";
    } else {
      try {
        body = Json.MAPPER.writeValueAsBytes(data);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("cannot write a tree of our own", e);
      }
    }
    return new Binary(List.copyOf(headers), type, body);
  }

  /** An event in binary mode: its attribute headers, the data's content type, the data. */
  record Binary(List<Map.Entry<String, String>> headers, String contentType, byte[] body) {}

  private static ObjectNode event(Delivery delivery) {
    ObjectNode event = Json.object();
    event.put("specversion", "1.0");
    event.put("id", delivery.eventId());
    JsonNode input = delivery.json() ? parse(delivery.input()) : null;
    if (input != null && isEnvelope(input)) {
      event.put("source", input.get("source").asText());
      event.put("type", input.get("detail-type").asText());
      if (input.path("time").isTextual()) {
        event.put("time", input.get("time").asText());
      }
      JsonNode resources = input.path("resources");
      if (resources.isArray() && !resources.isEmpty() && resources.get(0).isTextual()) {
        event.put("subject", resources.get(0).asText());
      }
      event.put("datacontenttype", "application/json");
      event.set("data", input.get("detail"));
    } else {
      event.put("source", "herald:rule:" + delivery.rule());
      event.put("type", "dev.herald.shaped");
      if (input != null) {
        event.put("datacontenttype", "application/json");
        event.set("data", input);
      } else {
        event.put("datacontenttype", "text/plain");
        event.put("data", new String(delivery.input(), StandardCharsets.UTF_8));
      }
    }
    event.put("heraldrule", delivery.rule());
    return event;
  }

  /**
   * Percent-encodes a header value as the HTTP binding asks (3.1.3.2): space, {@code "}, {@code %}
   * and every byte outside printable ASCII, as UTF-8.
   */
  static String percentEncode(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != '"' && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static boolean isEnvelope(JsonNode input) {
    return input.isObject()
        && input.path("source").isTextual()
        && input.path("detail-type").isTextual()
        && input.has("detail");
  }

  private static JsonNode parse(byte[] input) {
    try {
      return Json.MAPPER.readTree(input);
    } catch (IOException e) {
      return null; // not JSON after all: sent as text
    }
  }
}
