package dev.herald.server;

import dev.herald.engine.router.TargetHeaders;
import dev.herald.engine.router.TargetHeaders.Meta;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what the router wrote to a target's topic (or what ingest wrote to a bus topic), from
 * Kafka.
 */
final class TargetTopics {
  record Routed(
      String eventId,
      String rule,
      String deliveryKey,
      String key,
      String value,
      String format,
      String traceparent,
      String hops) {}

  private TargetTopics() {}

  static List<Routed> read(String bootstrap, String target) {
    return readTopic(bootstrap, "herald.target." + target);
  }

  /**
   * Every record of a topic, with what the router's header says (null where absent; a bus record
   * has only its traceparent and hops headers).
   */
  static List<Routed> readTopic(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<Routed> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          Optional<Meta> meta = TargetHeaders.read(r.headers(), r.timestamp());
          out.add(
              new Routed(
                  meta.map(Meta::eventId).orElse(null),
                  meta.map(Meta::rule).orElse(null),
                  meta.map(Meta::deliveryKey).orElse(null),
                  r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                  new String(r.value(), StandardCharsets.UTF_8),
                  meta.map(m -> m.json() ? "json" : "text").orElse(null),
                  meta.flatMap(Meta::traceparent).orElse(header(r, TargetHeaders.TRACEPARENT)),
                  meta.filter(m -> m.hops() > 0)
                      .map(m -> Integer.toString(m.hops()))
                      .orElse(header(r, TargetHeaders.HOPS))));
        }
      }
    }
    return out;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var header = r.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
