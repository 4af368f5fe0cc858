package dev.herald.engine.topic;

import java.util.Optional;

/**
 * How Herald's topics are laid out on the Kafka cluster: partitions of bus topics and of target
 * topics, and their replication. Target topics have fewer partitions than bus topics by default: a
 * cluster with 1,000 targets at 12 partitions and 3 replicas would carry 36,000 replicas.
 *
 * @param busPartitions partitions of each new bus topic (the archive, read by the routers)
 * @param targetPartitions partitions of each new target topic; they bound how many instances and
 *     consumer threads deliver one target at once
 * @param replicationFactor replicas of each topic; empty: 3, or fewer when the cluster has fewer
 *     brokers (the embedded broker: 1)
 * @param minInsyncReplicas replicas that must have an append before it is acknowledged; empty: the
 *     replication factor less one, at least 1 (RF 3 → 2: one broker may fail without refusing
 *     writes)
 */
public record TopicLayout(
    int busPartitions,
    int targetPartitions,
    Optional<Integer> replicationFactor,
    Optional<Integer> minInsyncReplicas) {
  public static final int MAX_PARTITIONS = 1024;
  private static final int PREFERRED_REPLICATION = 3;

  public TopicLayout {
    requireRange("bus partitions", busPartitions, 1, MAX_PARTITIONS);
    requireRange("target partitions", targetPartitions, 1, MAX_PARTITIONS);
    replicationFactor.ifPresent(rf -> requireRange("replication factor", rf, 1, Short.MAX_VALUE));
    minInsyncReplicas.ifPresent(
        isr -> requireRange("min in-sync replicas", isr, 1, replicationFactor.orElse(isr)));
  }

  /** The same partitions for bus and target topics, replication chosen from the cluster. */
  public static TopicLayout of(int partitions) {
    return new TopicLayout(partitions, partitions, Optional.empty(), Optional.empty());
  }

  /**
   * The replication factor on a cluster of {@code brokers} brokers.
   *
   * @throws TopicLayoutException when a configured factor exceeds the brokers, or the configured
   *     min in-sync replicas exceed the factor the cluster can give
   */
  public int replicationOn(int brokers) {
    int replication = replicationFactor.orElse(Math.min(PREFERRED_REPLICATION, brokers));
    if (replication > brokers) {
      throw new TopicLayoutException(
          ("HERALD_REPLICATION_FACTOR=%d but the Kafka cluster has %d broker(s): a topic cannot"
                  + " have more replicas than brokers. Lower it, or add brokers.")
              .formatted(replication, brokers));
    }
    int isr = minInsyncReplicasFor(replication);
    if (isr > replication) {
      throw new TopicLayoutException(
          ("HERALD_MIN_INSYNC_REPLICAS=%d exceeds the replication factor %d on this %d-broker"
                  + " cluster: every write would be refused. Lower it, or set"
                  + " HERALD_REPLICATION_FACTOR.")
              .formatted(isr, replication, brokers));
    }
    return replication;
  }

  /** The min in-sync replicas for topics of {@code replication} replicas. */
  public int minInsyncReplicasFor(int replication) {
    return minInsyncReplicas.orElse(Math.max(1, replication - 1));
  }

  private static void requireRange(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          what + " must be between " + min + " and " + max + ", got " + value);
    }
  }

  /** A layout the cluster cannot honour; the message says which setting and why. */
  public static final class TopicLayoutException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    TopicLayoutException(String message) {
      super(message);
    }
  }
}
