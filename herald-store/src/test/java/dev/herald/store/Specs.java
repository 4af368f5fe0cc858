package dev.herald.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.BusSpecs;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.json.Json;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;

/** Configuration objects for the store contract, with the API's defaults. */
final class Specs {
  static final String PATTERN = "{\"source\":[\"shop.orders\"]}";
  static final TargetSpec.RetryPolicy RETRY =
      new TargetSpec.RetryPolicy(8, 86_400, 1000, 2.0, 3_600_000);
  static final TargetSpec.CircuitPolicy CIRCUIT = new TargetSpec.CircuitPolicy(true, 90, 20, 30);

  private Specs() {}

  static BusSpecs.BusSpec bus(String name) {
    return new BusSpecs.BusSpec(name, "about " + name, 7);
  }

  static TargetSpec target(String name, String type, ObjectNode settings) {
    return new TargetSpec(
        name, type, settings, true, 5000, RETRY, 64, Optional.empty(), CIRCUIT, false);
  }

  /** A target without settings, hence without secrets. */
  static TargetSpec logTarget(String name) {
    return target(name, "log", Json.object());
  }

  /** A webhook whose signing secret and bearer token are {@code secret}-based. */
  static TargetSpec webhook(String name, String secret) {
    return target(
        name,
        "webhook",
        json(
            "{\"url\": \"https://hooks.example.com/"
                + name
                + "\", \"method\": \"POST\", \"headers\": {\"x-team\": \"orders\"},"
                + " \"secret\": \""
                + secret
                + "\", \"auth\": {\"bearer\": \"bearer-"
                + secret
                + "\"}}"));
  }

  /** A rule of {@code bus} matching shop.orders events, sending them unchanged to targets. */
  static RuleSpec rule(String bus, String name, String... targets) {
    return new RuleSpec(
        bus,
        name,
        PATTERN,
        true,
        "",
        Arrays.stream(targets).map(RuleSpec.RuleTarget::plain).toList());
  }

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
