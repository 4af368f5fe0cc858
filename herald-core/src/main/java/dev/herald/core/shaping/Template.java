package dev.herald.core.shaping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * A compiled input template: literal text and placeholders, each bound to a variable and to the
 * {@link Render.Context} it stands in. Built by {@link TransformerCompiler}; immutable and
 * thread-safe (each {@link #render} call has its own buffers).
 */
final class Template {

  /** Where a variable's value comes from, given the event being routed. */
  @FunctionalInterface
  interface Source {
    /** The value, or a missing node when the event has none. */
    JsonNode resolve(ObjectNode envelope, String ruleName, Instant ingestedAt);
  }

  sealed interface Part permits Literal, Slot {}

  record Literal(String text) implements Part {}

  /** A placeholder: the index of its variable in {@code sources}, and where it stands. */
  record Slot(int variable, Render.Context context) implements Part {}

  private final boolean json;
  private final List<Part> parts;
  private final List<Source> sources;
  private final int literalLength;

  Template(boolean json, List<Part> parts, List<Source> sources) {
    this.json = json;
    this.parts = List.copyOf(parts);
    this.sources = List.copyOf(sources);
    this.literalLength =
        parts.stream().mapToInt(p -> p instanceof Literal l ? l.text().length() : 16).sum();
  }

  /** Whether the output is JSON (else it is plain text). */
  boolean json() {
    return json;
  }

  /**
   * The output for one event: UTF-8 text, or minified UTF-8 JSON for a JSON template.
   *
   * @throws TransformException when a JSON template's output is not valid JSON
   */
  byte[] render(ObjectNode envelope, String ruleName, Instant ingestedAt) {
    JsonNode[] values = new JsonNode[sources.size()];
    StringBuilder out = new StringBuilder(literalLength + 64);
    for (Part part : parts) {
      switch (part) {
        case Literal literal -> out.append(literal.text());
        case Slot slot -> {
          int i = slot.variable();
          if (values[i] == null) {
            values[i] = sources.get(i).resolve(envelope, ruleName, ingestedAt);
          }
          Render.write(out, slot.context(), values[i]);
        }
      }
    }
    if (!json) {
      return out.toString().getBytes(StandardCharsets.UTF_8);
    }
    try {
      return JsonText.bytes(JsonText.parse(out));
    } catch (JsonProcessingException e) {
      throw new TransformException(
          "the inputTransformer of rule "
              + ruleName
              + " made invalid JSON for event "
              + envelope.path("id").asText()
              + ": "
              + JsonText.problem(e),
          e);
    }
  }
}
