package dev.herald.engine.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Herald's topics: names, creation and description. Bus topics ({@code herald.bus.<bus>}, the
 * archive), target topics ({@code herald.target.<target>}) and the compacted config change feed.
 * Thread-safe: the Admin client is thread-safe and the partition-count cache is a concurrent map.
 */
public final class Topics implements AutoCloseable {
  public static final String CONFIG_CHANGES = "herald.config-changes";
  private static final Logger LOG = LoggerFactory.getLogger(Topics.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final Admin admin;
  private final int maxMessageBytes;
  private final TopicLayout layout;
  private final short replication;
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

  /**
   * Connects to the cluster and checks that it can honour {@code layout}.
   *
   * @throws TopicLayout.TopicLayoutException when it cannot (more replicas than brokers)
   */
  public Topics(String bootstrapServers, int maxMessageBytes, TopicLayout layout) {
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "herald-admin"));
    this.maxMessageBytes = maxMessageBytes;
    this.layout = layout;
    int brokers = brokerCount();
    try {
      this.replication = (short) layout.replicationOn(brokers);
    } catch (TopicLayout.TopicLayoutException e) {
      admin.close(Duration.ZERO);
      throw e;
    }
    LOG.info(
        "topics: bus {} partitions, target {} partitions, replication {}, min in-sync {} ({}"
            + " broker(s))",
        layout.busPartitions(),
        layout.targetPartitions(),
        replication,
        layout.minInsyncReplicasFor(replication),
        brokers);
  }

  /**
   * The session timeout of Herald's consumer groups (classic protocol): how long a crashed instance
   * keeps its partitions before the others take them over. Within the brokers' default {@code
   * group.min.session.timeout.ms} (6 s).
   */
  public static final int SESSION_TIMEOUT_MS = 10_000;

  /** The consumer group of the delivery consumers (every target topic). */
  public static final String DELIVERY_GROUP = "herald.delivery";

  /** The consumer group of a bus's router. */
  public static String routerGroup(String bus) {
    return "herald.router." + bus;
  }

  public static String busTopic(String bus) {
    return "herald.bus." + bus;
  }

  public static String targetTopic(String target) {
    return "herald.target." + target;
  }

  /**
   * Creates the bus topic (the archive) when missing, keeping its events for {@code retentionDays}
   * ({@code 0}: forever); sets that retention on the topic when it exists already (a bus whose
   * {@code archiveRetentionDays} changed).
   */
  public void ensureBus(String bus, int retentionDays) {
    Map<String, String> retention = busRetention(retentionDays);
    if (!ensure(busTopic(bus), layout.busPartitions(), retention)) {
      alter(busTopic(bus), retention);
    }
  }

  /** The topic configuration of a bus's archive retention: {@code -1} ms (no limit) for 0 days. */
  static Map<String, String> busRetention(int retentionDays) {
    if (retentionDays < 0) {
      throw new IllegalArgumentException(
          "archiveRetentionDays must not be negative, got " + retentionDays);
    }
    return retentionDays == 0
        ? Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")
        : retention(Duration.ofDays(retentionDays));
  }

  private void alter(String topic, Map<String, String> configs) {
    List<AlterConfigOp> ops = new ArrayList<>();
    configs.forEach(
        (k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
    try {
      admin
          .incrementalAlterConfigs(
              Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops))
          .all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot configure topic " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted configuring topic " + topic, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out configuring topic " + topic, e);
    }
  }

  /** Creates a target's topic when missing, keeping records for {@code retention}. */
  public void ensureTarget(String target, Duration retention) {
    ensure(targetTopic(target), layout.targetPartitions(), retention(retention));
  }

  /** Creates the compacted, single-partition config change feed when missing. */
  public void ensureConfigChanges() {
    ensure(CONFIG_CHANGES, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact"));
  }

  private static Map<String, String> retention(Duration retention) {
    return Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
  }

  /** Creates a topic when missing; true when this call created it. */
  private boolean ensure(String topic, int count, Map<String, String> extra) {
    Map<String, String> configs = new HashMap<>(extra);
    configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
    configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
    configs.put(
        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
        Integer.toString(layout.minInsyncReplicasFor(replication)));
    NewTopic newTopic =
        new NewTopic(topic, Optional.of(count), Optional.of(replication)).configs(configs);
    boolean created = false;
    try {
      admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("created topic {} with {} partitions, {} replicas", topic, count, replication);
      created = true;
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + topic, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + topic, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating topic " + topic, e);
    }
    partitionCounts.remove(topic);
    return created;
  }

  /** Deletes a topic if it exists (a deleted bus or target). */
  public void delete(String topic) {
    try {
      admin.deleteTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("deleted topic {}", topic);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw new IllegalStateException("cannot delete topic " + topic, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out deleting topic " + topic, e);
    }
    partitionCounts.remove(topic);
  }

  /** The number of partitions of a topic, or empty when it does not exist. */
  public Optional<Integer> partitions(String topic) {
    Integer known = partitionCounts.get(topic);
    if (known != null) {
      return Optional.of(known);
    }
    try {
      var description =
          admin
              .describeTopics(Set.of(topic))
              .allTopicNames()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic);
      int count = description.partitions().size();
      partitionCounts.put(topic, count);
      return Optional.of(count);
    } catch (ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out describing " + topic, e);
    }
  }

  /**
   * Per topic, the records {@code group} has not consumed yet: on each partition, its end offset
   * less the group's committed offset (or, where the group has committed none, less the partition's
   * first offset: the group starts from the earliest record). Topics that do not exist are left
   * out. A record counts until the offset after it is committed, that is until it was delivered (or
   * routed) and recorded.
   */
  public Map<String, Long> consumerLag(String group, Collection<String> topics) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      partitions(topic)
          .ifPresent(
              count -> {
                for (int p = 0; p < count; p++) {
                  partitions.add(new TopicPartition(topic, p));
                }
              });
    }
    if (partitions.isEmpty()) {
      return Map.of();
    }
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Map<TopicPartition, Long> latest = offsets(partitions, OffsetSpec.latest());
      Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
      Map<String, Long> lag = new HashMap<>();
      for (TopicPartition tp : partitions) {
        Long end = latest.get(tp);
        if (end == null) {
          continue;
        }
        OffsetAndMetadata done = committed.get(tp);
        long from = done != null ? done.offset() : earliest.getOrDefault(tp, end);
        lag.merge(tp.topic(), Math.max(0, end - from), Long::sum);
      }
      return lag;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the offsets of group " + group, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the offsets of group " + group, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out reading the offsets of group " + group, e);
    }
  }

  private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    Map<TopicPartition, Long> offsets = new HashMap<>();
    admin
        .listOffsets(request)
        .all()
        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .forEach((tp, info) -> offsets.put(tp, info.offset()));
    return offsets;
  }

  /** True when the cluster answers within the timeout. */
  public boolean reachable(Duration timeout) {
    try {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private int brokerCount() {
    try {
      Collection<?> nodes =
          admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return Math.max(1, nodes.size());
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe the Kafka cluster", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted describing the Kafka cluster", e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
