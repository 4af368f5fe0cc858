package dev.herald.server;

import dev.herald.engine.topic.TopicLayout;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How Herald uses Kafka beyond the address: the topic layout ({@code HERALD_TARGET_PARTITIONS},
 * {@code HERALD_REPLICATION_FACTOR}, {@code HERALD_MIN_INSYNC_REPLICAS}; bus partitions come from
 * {@link HeraldConfig#busPartitions()}) and how long an ingest append may wait for the cluster
 * ({@code HERALD_INGEST_TIMEOUT_SECONDS}). Immutable.
 *
 * <p>The append timeout defaults to 10 s on the embedded broker (it fails or it does not) and to 30
 * s on a cluster, longer than a KRaft cluster takes to elect a new controller and move the
 * leadership of a lost broker's partitions (about 12 s measured), so that a lost broker costs
 * ingest latency, never a 503.
 *
 * @param layout partitions and replication of new topics
 * @param ingestTimeout how long an accepted publish waits for the cluster's acknowledgement before
 *     it answers 503
 */
public record KafkaSettings(TopicLayout layout, Duration ingestTimeout) {
  public static final String TARGET_PARTITIONS = "HERALD_TARGET_PARTITIONS";
  public static final String REPLICATION_FACTOR = "HERALD_REPLICATION_FACTOR";
  public static final String MIN_INSYNC_REPLICAS = "HERALD_MIN_INSYNC_REPLICAS";
  public static final String INGEST_TIMEOUT_SECONDS = "HERALD_INGEST_TIMEOUT_SECONDS";

  /** Target topics of a cluster: enough to spread a target over six instances. */
  static final int CLUSTER_TARGET_PARTITIONS = 6;

  static final Duration EMBEDDED_INGEST_TIMEOUT = Duration.ofSeconds(10);
  static final Duration CLUSTER_INGEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * @throws IllegalArgumentException naming the variable whose value is not valid
   */
  public static KafkaSettings of(HeraldConfig config, Map<String, String> env) {
    boolean cluster = config.kafkaBootstrap().isPresent();
    int bus = config.busPartitions();
    int target =
        number(env, TARGET_PARTITIONS)
            .orElse(cluster ? Math.min(bus, CLUSTER_TARGET_PARTITIONS) : bus);
    Duration ingest =
        number(env, INGEST_TIMEOUT_SECONDS)
            .map(Duration::ofSeconds)
            .orElse(cluster ? CLUSTER_INGEST_TIMEOUT : EMBEDDED_INGEST_TIMEOUT);
    if (ingest.isZero() || ingest.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException(
          INGEST_TIMEOUT_SECONDS + " must be from 1 to 300, got " + ingest.toSeconds());
    }
    try {
      return new KafkaSettings(
          new TopicLayout(
              bus, target, number(env, REPLICATION_FACTOR), number(env, MIN_INSYNC_REPLICAS)),
          ingest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Kafka topic settings (HERALD_BUS_PARTITIONS, "
              + TARGET_PARTITIONS
              + ", "
              + REPLICATION_FACTOR
              + ", "
              + MIN_INSYNC_REPLICAS
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private static Optional<Integer> number(Map<String, String> env, String name) {
    String value = env.getOrDefault(name, "").strip();
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
    }
  }
}
