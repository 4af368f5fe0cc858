package dev.herald.client;

import java.util.Objects;

/**
 * One event to publish. {@code detailJson} is a JSON object as text; the optional fields may be
 * null.
 */
public record PublishEntry(
    String bus,
    String source,
    String detailType,
    String detailJson,
    String orderingKey,
    String id,
    String time) {

  public PublishEntry {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(detailType, "detailType");
    Objects.requireNonNull(detailJson, "detailJson");
  }

  public static PublishEntry of(String source, String detailType, String detailJson) {
    return new PublishEntry(null, source, detailType, detailJson, null, null, null);
  }

  public PublishEntry onBus(String newBus) {
    return new PublishEntry(newBus, source, detailType, detailJson, orderingKey, id, time);
  }

  public PublishEntry withOrderingKey(String key) {
    return new PublishEntry(bus, source, detailType, detailJson, key, id, time);
  }

  public PublishEntry withId(String clientId) {
    return new PublishEntry(bus, source, detailType, detailJson, orderingKey, clientId, time);
  }
}
