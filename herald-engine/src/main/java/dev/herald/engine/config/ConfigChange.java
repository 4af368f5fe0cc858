package dev.herald.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A notice that one configuration object changed: every instance reloads it from the store.
 *
 * @param kind {@code bus}, {@code rule}, {@code target} or {@code key} (an API key, named by its
 *     id)
 * @param bus the rule's bus (empty for buses and targets)
 * @param version the stored version after the change (0 when deleted)
 * @param changedAtMillis when the change was made, to measure how long it took to apply
 * @param origin the instance that made it
 */
public record ConfigChange(
    Kind kind,
    Optional<String> bus,
    String name,
    long version,
    boolean deleted,
    long changedAtMillis,
    String origin) {

  public enum Kind {
    BUS,
    RULE,
    TARGET,
    KEY
  }

  public ConfigChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(origin, "origin");
  }

  /** The compaction key: the latest notice per object is kept. */
  public String key() {
    return kind.name().toLowerCase(java.util.Locale.ROOT)
        + "/"
        + bus.map(b -> b + "/").orElse("")
        + name;
  }

  byte[] toBytes() {
    ObjectNode node = Json.object();
    node.put("kind", kind.name());
    bus.ifPresent(b -> node.put("bus", b));
    node.put("name", name);
    node.put("version", version);
    node.put("deleted", deleted);
    node.put("changedAt", changedAtMillis);
    node.put("origin", origin);
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  static ConfigChange fromBytes(byte[] bytes) throws IOException {
    JsonNode node = Json.MAPPER.readTree(bytes);
    return new ConfigChange(
        Kind.valueOf(node.path("kind").asText()),
        Optional.ofNullable(node.get("bus")).map(JsonNode::asText),
        node.path("name").asText(),
        node.path("version").asLong(),
        node.path("deleted").asBoolean(),
        node.path("changedAt").asLong(),
        node.path("origin").asText());
  }
}
