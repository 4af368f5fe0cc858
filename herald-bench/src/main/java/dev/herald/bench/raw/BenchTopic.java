package dev.herald.bench.raw;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the raw-produce topic as a twin of a Herald topic: same partition count, same replication
 * factor and the same topic-level overrides (for example {@code max.message.bytes}), so that the
 * raw producer and Herald write under the same broker settings.
 */
final class BenchTopic {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private BenchTopic() {}

  /** Makes sure {@code topic} exists like {@code likeTopic}; returns its partition count. */
  static int ensureLike(String bootstrap, String topic, String likeTopic) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "herald-bench-admin");
    try (Admin admin = Admin.create(props)) {
      TopicDescription like = describe(admin, likeTopic);
      int partitions = like.partitions().size();
      short replication = (short) like.partitions().get(0).replicas().size();
      NewTopic newTopic =
          new NewTopic(topic, partitions, replication).configs(overrides(admin, likeTopic));
      try {
        admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      int existing = describe(admin, topic).partitions().size();
      if (existing != partitions) {
        throw new IllegalStateException(
            topic
                + " exists with "
                + existing
                + " partitions, "
                + likeTopic
                + " has "
                + partitions);
      }
      return partitions;
    }
  }

  private static TopicDescription describe(Admin admin, String topic) throws Exception {
    return admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .get(topic);
  }

  /** The topic-level settings that were set on {@code topic} rather than inherited. */
  private static Map<String, String> overrides(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config =
        admin
            .describeConfigs(Set.of(resource))
            .all()
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
            .get(resource);
    Map<String, String> overrides = new HashMap<>();
    List<ConfigEntry> entries = new ArrayList<>(config.entries());
    for (ConfigEntry e : entries) {
      if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && e.value() != null) {
        overrides.put(e.name(), e.value());
      }
    }
    return overrides;
  }
}
