package dev.herald.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.ConfigException;
import dev.herald.core.json.Json;

/** Renders configuration errors as the API's error object with the matching status. */
final class ConfigErrors {
  private ConfigErrors() {}

  static int status(ConfigException e) {
    return switch (e) {
      case ConfigException.Invalid i -> 400;
      case ConfigException.NotFound n -> 404;
      case ConfigException.Conflict c -> 409;
      case ConfigException.VersionMismatch v -> 412;
    };
  }

  static ObjectNode json(ConfigException e) {
    ObjectNode root = Json.object();
    ObjectNode error = root.putObject("error");
    error.put("code", e.code());
    error.put("message", e.getMessage());
    if (e instanceof ConfigException.Invalid invalid
        && invalid.field() != null
        && !invalid.field().isEmpty()) {
      error.put("field", invalid.field());
    }
    if (e instanceof ConfigException.Conflict conflict) {
      ArrayNode names = error.putArray("names");
      conflict.names().forEach(names::add);
    }
    return root;
  }
}
