package dev.herald.engine.inspect;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The backlog of each target: the records of its topic ({@code herald.target.<target>}) that the
 * delivery group ({@code herald.delivery}) has not committed yet, i.e. not yet delivered, retried
 * or dead-lettered (retries waiting in the store are not counted). One admin client of its own;
 * three admin calls per answer, whatever the number of targets. Thread-safe.
 */
public final class DeliveryBacklog implements AutoCloseable {
  private static final String GROUP = "herald.delivery";
  private static final String PREFIX = "herald.target.";
  private static final long TIMEOUT_SECONDS = 3;

  private final Admin admin;

  public DeliveryBacklog(String bootstrapServers) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "herald-backlog");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    this.admin = Admin.create(props);
  }

  /**
   * Records not yet delivered per target name; empty when the engine does not answer in time.
   *
   * @param targets the targets to measure
   */
  public Map<String, Long> backlog(List<String> targets) {
    if (targets.isEmpty()) {
      return Map.of();
    }
    try {
      List<String> topics = targets.stream().map(t -> PREFIX + t).toList();
      Map<String, TopicDescription> described =
          admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      described
          .values()
          .forEach(
              d ->
                  d.partitions()
                      .forEach(
                          p -> {
                            TopicPartition tp = new TopicPartition(d.name(), p.partition());
                            latest.put(tp, OffsetSpec.latest());
                            earliest.put(tp, OffsetSpec.earliest());
                          }));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> begins =
          admin.listOffsets(earliest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(GROUP)
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<String, Long> backlog = new HashMap<>();
      described.keySet().forEach(topic -> backlog.put(topic.substring(PREFIX.length()), 0L));
      ends.forEach(
          (tp, end) -> {
            OffsetAndMetadata done = committed.get(tp);
            long from = done != null ? done.offset() : begins.get(tp).offset();
            backlog.merge(
                tp.topic().substring(PREFIX.length()), Math.max(0, end.offset() - from), Long::sum);
          });
      return backlog;
    } catch (ExecutionException | TimeoutException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(1));
  }
}
