package dev.herald.engine.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka clients for the broker tests: produce with Herald's settings, read a topic back. */
final class TestClients {
  private TestClients() {}

  /** An idempotent acks=all producer, as Herald's ingest uses. */
  static KafkaProducer<byte[], byte[]> producer(String bootstrap, int maxRequestSize) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestSize);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new KafkaProducer<>(props);
  }

  /** Sends every value (keyed by its index) and waits for every acknowledgement. */
  static void sendAll(String bootstrap, String topic, List<byte[]> values, int maxRequestSize)
      throws ExecutionException, InterruptedException {
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, maxRequestSize)) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        byte[] key = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
        acks.add(producer.send(new ProducerRecord<>(topic, key, values.get(i))));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    }
  }

  /**
   * Reads {@code topic} from the beginning until {@code expected} records arrived or 30 s passed.
   */
  static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrap, String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Instant giveUp = Instant.now().plusSeconds(30);
      while (records.size() < expected && Instant.now().isBefore(giveUp)) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** The cluster id the broker at {@code bootstrap} reports. */
  static String clusterId(String bootstrap) throws ExecutionException, InterruptedException {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      return admin.describeCluster().clusterId().get();
    }
  }
}
