package dev.herald.store.internal.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.json.Json;
import java.sql.SQLException;

/** Reads JSON text stored in a column. Stateless. */
public final class JsonText {
  private JsonText() {}

  /** Parses {@code text}; an unreadable value fails like the read that found it. */
  public static JsonNode read(String text, String what) throws SQLException {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SQLException("the stored " + what + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Parses a JSON object. */
  public static ObjectNode object(String text, String what) throws SQLException {
    if (read(text, what) instanceof ObjectNode object) {
      return object;
    }
    throw new SQLException("the stored " + what + " is not a JSON object");
  }
}
