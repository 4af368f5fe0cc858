package dev.herald.engine.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of each partition still being delivered, and how far each partition may be committed:
 * up to the lowest record not yet finished. Not thread-safe: owned by one consumer thread (finished
 * records are handed to it through a queue).
 */
final class PartitionTracker {
  private final Map<TopicPartition, TreeSet<Long>> open = new HashMap<>();
  private final Map<TopicPartition, Long> next = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  void started(TopicPartition partition, long offset) {
    open.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
    next.merge(partition, offset + 1, Math::max);
  }

  void finished(TopicPartition partition, long offset) {
    TreeSet<Long> offsets = open.get(partition);
    if (offsets != null) {
      offsets.remove(offset);
    }
  }

  /** Records started and not finished, over every partition. */
  int inFlight() {
    int total = 0;
    for (TreeSet<Long> offsets : open.values()) {
      total += offsets.size();
    }
    return total;
  }

  int inFlight(TopicPartition partition) {
    TreeSet<Long> offsets = open.get(partition);
    return offsets == null ? 0 : offsets.size();
  }

  /** Offsets that may be committed now and were not committed yet. */
  Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
    next.forEach(
        (partition, nextOffset) -> {
          TreeSet<Long> offsets = open.get(partition);
          long safe = offsets == null || offsets.isEmpty() ? nextOffset : offsets.first();
          if (!Long.valueOf(safe).equals(committed.get(partition))) {
            result.put(partition, new OffsetAndMetadata(safe));
          }
        });
    return result;
  }

  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
  }

  /** The offsets committed last, per partition. */
  Map<TopicPartition, Long> committedOffsets() {
    return Map.copyOf(committed);
  }

  /** Forgets a partition this consumer no longer owns. */
  void forget(TopicPartition partition) {
    open.remove(partition);
    next.remove(partition);
    committed.remove(partition);
  }

  boolean owns(TopicPartition partition) {
    return next.containsKey(partition);
  }
}
