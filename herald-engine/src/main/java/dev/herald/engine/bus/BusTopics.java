package dev.herald.engine.bus;

import java.time.Duration;
import java.util.Collection;
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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and describes the bus topics ({@code herald.bus.<bus>}). Thread-safe: the Admin client is
 * thread-safe and the partition-count cache is a concurrent map.
 */
public final class BusTopics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BusTopics.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final Admin admin;
  private final int maxMessageBytes;
  private final int partitions;
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

  public BusTopics(String bootstrapServers, int maxMessageBytes, int partitions) {
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "herald-admin"));
    this.maxMessageBytes = maxMessageBytes;
    this.partitions = partitions;
  }

  public static String topicOf(String bus) {
    return "herald.bus." + bus;
  }

  /** Creates the bus topic when missing; keeps an existing one as it is. */
  public void ensure(String bus, int retentionDays) {
    String topic = topicOf(bus);
    int brokers = brokerCount();
    short replication = (short) Math.min(3, brokers);
    NewTopic newTopic =
        new NewTopic(topic, Optional.of(partitions), Optional.of(replication))
            .configs(
                Map.of(
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes),
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime",
                    TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(Duration.ofDays(retentionDays).toMillis()),
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                        Integer.toString(Math.max(1, replication - 1))));
    try {
      admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("created bus topic {} with {} partitions", topic, partitions);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create bus topic " + topic, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating bus topic " + topic, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating bus topic " + topic, e);
    }
    partitionCounts.remove(topic);
  }

  /** The number of partitions of a bus topic, or empty when the topic does not exist. */
  public Optional<Integer> partitions(String bus) {
    String topic = topicOf(bus);
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
