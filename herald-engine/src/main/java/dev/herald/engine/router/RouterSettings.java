package dev.herald.engine.router;

import java.time.Duration;
import java.util.Objects;

/**
 * How a router reads and writes.
 *
 * @param account the delivered envelope's {@code account}
 * @param region the delivered envelope's {@code region}
 * @param maxPollRecords events routed per batch (one store write and one offset commit each)
 * @param retryBackoff the pause before a failed batch is tried again
 */
public record RouterSettings(
    String bootstrapServers,
    int maxMessageBytes,
    String account,
    String region,
    int maxPollRecords,
    Duration retryBackoff) {

  public RouterSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    if (maxPollRecords < 1) {
      throw new IllegalArgumentException("maxPollRecords must be positive, got " + maxPollRecords);
    }
  }

  public static RouterSettings defaults(String bootstrapServers, int maxMessageBytes) {
    return new RouterSettings(
        bootstrapServers,
        maxMessageBytes,
        dev.herald.core.routing.Envelope.DEFAULT_ACCOUNT,
        dev.herald.core.routing.Envelope.DEFAULT_REGION,
        2000,
        Duration.ofSeconds(1));
  }
}
