package dev.herald.engine.delivery;

import java.util.Objects;

/**
 * How the delivery pool reads.
 *
 * @param consumers Kafka consumers shared by all targets on this instance
 * @param pauseAt a partition is paused while this many of its records are being delivered
 */
public record DeliverySettings(
    String bootstrapServers, int maxMessageBytes, int consumers, int pauseAt) {

  public DeliverySettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    if (consumers < 1 || pauseAt < 1) {
      throw new IllegalArgumentException("consumers and pauseAt must be positive");
    }
  }

  public static DeliverySettings defaults(String bootstrapServers, int maxMessageBytes) {
    return new DeliverySettings(bootstrapServers, maxMessageBytes, 2, 512);
  }
}
