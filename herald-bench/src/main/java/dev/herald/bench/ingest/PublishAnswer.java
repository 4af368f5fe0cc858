package dev.herald.bench.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.herald.bench.load.Outcome;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the answer of {@code POST /v1/events} with a streaming parser: counts the entries that got
 * an {@code eventId} and tallies the {@code errorCode}s of the others. Stateless and thread-safe.
 */
final class PublishAnswer {

  private static final JsonFactory FACTORY = new JsonFactory();

  private PublishAnswer() {}

  /** The outcome of a 200 answer; a body that is not the expected shape is a failure. */
  static Outcome parse(byte[] body) {
    int accepted = 0;
    int failed = 0;
    int declaredFailed = -1;
    Map<String, Integer> codes = new HashMap<>();
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new Outcome.Failure("malformed-answer");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("failedEntryCount".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
          declaredFailed = p.getIntValue();
        } else if ("entries".equals(field) && value == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            String code = entryErrorCode(p);
            if (code == null) {
              accepted++;
            } else {
              failed++;
              codes.merge(code, 1, Integer::sum);
            }
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      return new Outcome.Failure("malformed-answer");
    }
    if (declaredFailed >= 0 && declaredFailed != failed) {
      return new Outcome.Failure("inconsistent-failedEntryCount");
    }
    return new Outcome.Answered(accepted, failed, codes);
  }

  /** Reads one entry object; its error code, or null when it has an event id. */
  private static String entryErrorCode(JsonParser p) throws IOException {
    String code = null;
    boolean hasId = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if ("eventId".equals(field)) {
        hasId = true;
      } else if ("errorCode".equals(field)) {
        code = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return hasId && code == null ? null : code == null ? "NoEventId" : code;
  }
}
