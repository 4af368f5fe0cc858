package dev.herald.targets.internal.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.delivery.Delivery;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A delivery as a CloudEvents 1.0 event in structured mode ({@code application/cloudevents+json}).
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
    try {
      return Json.MAPPER.writeValueAsBytes(event);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a tree of our own", e);
    }
  }

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
