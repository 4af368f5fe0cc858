package dev.herald.engine.replay;

import java.time.Duration;
import java.util.Objects;

/**
 * How replays read and pace themselves.
 *
 * @param eventsPerSecond the most events one replay routes per second (its throttle)
 * @param maxTargetBacklog a replay writes to a target's topic only while that target has at most
 *     this many records not yet delivered (live and replayed); above it, that target's replayed
 *     deliveries wait in a lane of their own while the replay goes on for the other targets: live
 *     events never queue behind more than about this many replayed ones
 * @param batchSize events read and recorded per step (one store write each)
 * @param pause the wait when throttled by the backlog, and after a failed step
 */
public record ReplaySettings(
    String bootstrapServers,
    int maxMessageBytes,
    String account,
    String region,
    double eventsPerSecond,
    long maxTargetBacklog,
    int batchSize,
    Duration pause) {

  public ReplaySettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(pause, "pause");
    if (!(eventsPerSecond > 0)) {
      throw new IllegalArgumentException(
          "eventsPerSecond must be positive, got " + eventsPerSecond);
    }
    if (maxTargetBacklog < 1) {
      throw new IllegalArgumentException(
          "maxTargetBacklog must be at least 1, got " + maxTargetBacklog);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
  }

  /** 2,000 events/s per replay, paced at a backlog of 1,000, batches of 500, 200 ms pauses. */
  public static ReplaySettings defaults(String bootstrapServers, int maxMessageBytes) {
    return new ReplaySettings(
        bootstrapServers,
        maxMessageBytes,
        dev.herald.core.routing.Envelope.DEFAULT_ACCOUNT,
        dev.herald.core.routing.Envelope.DEFAULT_REGION,
        2000,
        1000,
        500,
        Duration.ofMillis(200));
  }
}
