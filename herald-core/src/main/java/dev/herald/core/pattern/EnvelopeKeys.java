package dev.herald.core.pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The string values of an event's top-level {@code source} and {@code detail-type}, read in one
 * streaming pass: the keys under which {@link IndexedRuleMatcher} files its rules. A value that is
 * an array contributes each of its strings, as event-ruler matches any element of an array.
 * Immutable once read.
 */
record EnvelopeKeys(List<String> sources, List<String> detailTypes) {
  static final String SOURCE = "source";
  static final String DETAIL_TYPE = "detail-type";

  /**
   * Reads the keys of an event.
   *
   * @throws IllegalArgumentException when the text is not a JSON object
   */
  static EnvelopeKeys read(String eventJson) {
    List<String> sources = new ArrayList<>(1);
    List<String> detailTypes = new ArrayList<>(1);
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(eventJson)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("event must be a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (SOURCE.equals(name)) {
          collectStrings(parser, value, sources);
        } else if (DETAIL_TYPE.equals(name)) {
          collectStrings(parser, value, detailTypes);
        } else {
          parser.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String does no I/O
    }
    return new EnvelopeKeys(sources, detailTypes);
  }

  private static void collectStrings(JsonParser parser, JsonToken token, List<String> into)
      throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      into.add(parser.getText());
    } else if (token == JsonToken.START_ARRAY) {
      for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
        collectStrings(parser, t, into);
      }
    } else {
      parser.skipChildren();
    }
  }
}
