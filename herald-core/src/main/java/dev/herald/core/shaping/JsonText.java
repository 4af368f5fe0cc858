package dev.herald.core.shaping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.herald.core.json.Json;

/** Strict JSON reading and compact writing with Herald's mapper. Stateless and thread-safe. */
final class JsonText {
  private static final ObjectReader STRICT =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonText() {}

  /**
   * Reads exactly one JSON value (nothing but whitespace after it).
   *
   * @throws JsonProcessingException when {@code text} is empty, not JSON, more than one value, or
   *     breaks Herald's read limits (nesting depth, string length)
   */
  static JsonNode parse(CharSequence text) throws JsonProcessingException {
    JsonNode node = STRICT.readTree(text.toString());
    if (node == null || node.isMissingNode()) {
      throw new JsonProcessingException("no JSON value: the text is empty") {
        private static final long serialVersionUID = 1L;
      };
    }
    return node;
  }

  /** The problem of a {@link #parse} failure, without Jackson's source excerpt. */
  static String problem(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  /** Compact JSON text of {@code node}. */
  static String write(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new TransformException("cannot write a value as JSON: " + problem(e), e);
    }
  }

  /** Compact UTF-8 JSON of {@code node}. */
  static byte[] bytes(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new TransformException("cannot write a value as JSON: " + problem(e), e);
    }
  }
}
