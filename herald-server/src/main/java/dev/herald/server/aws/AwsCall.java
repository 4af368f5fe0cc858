package dev.herald.server.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.auth.Scope;
import dev.herald.server.auth.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One call of the AWS JSON protocol, as an operation handler sees it: the operation, its JSON body,
 * who sends it and the {@code Host} it was sent to (queue URLs point back to it). Immutable.
 *
 * @param accessDenied the service's error for a key that lacks a scope
 */
record AwsCall(
    String operation,
    ObjectNode body,
    Principal principal,
    String host,
    AccessDenied accessDenied) {

  /** Builds the service's error for a key lacking {@code scope}. */
  @FunctionalInterface
  interface AccessDenied {
    AwsError of(Scope scope);
  }

  /** Refuses the call unless the key holds a scope covering {@code scope}. */
  void require(Scope scope) {
    if (!principal.allows(scope)) {
      throw accessDenied.of(scope);
    }
  }

  /** A string member, if present and a string. */
  Optional<String> text(String name) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw new AwsError(
          400, "SerializationException", name + " must be a string, got " + v.getNodeType());
    }
    return Optional.of(v.asText());
  }

  /** A required string member; a missing one is {@code missing}'s error. */
  String required(String name, java.util.function.Function<String, AwsError> missing) {
    return text(name)
        .filter(s -> !s.isEmpty())
        .orElseThrow(() -> missing.apply(name + " is required"));
  }

  /** A whole number member, if present. */
  Optional<Integer> integer(String name) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new AwsError(400, "SerializationException", name + " must be a whole number");
    }
    return Optional.of(v.asInt());
  }

  /** A list of strings; empty when absent. */
  List<String> strings(String name) {
    JsonNode v = body.get(name);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new AwsError(400, "SerializationException", name + " must be a list of strings");
    }
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw new AwsError(400, "SerializationException", name + " must be a list of strings");
      }
      out.add(item.asText());
    }
    return out;
  }

  /** A list of objects; empty when absent. */
  List<ObjectNode> objects(String name) {
    JsonNode v = body.get(name);
    List<ObjectNode> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new AwsError(400, "SerializationException", name + " must be a list of structures");
    }
    for (JsonNode item : v) {
      if (!item.isObject()) {
        throw new AwsError(400, "SerializationException", name + " must be a list of structures");
      }
      out.add((ObjectNode) item);
    }
    return out;
  }
}
