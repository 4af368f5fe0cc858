package dev.herald.engine.delivery;

import dev.herald.engine.topic.Topics;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * Which share of each target topic's partitions this instance owns, over all its delivery
 * consumers. A target's {@code concurrency.max} and {@code rateLimit} hold for the whole cluster:
 * each instance applies them in proportion to the partitions it owns (records spread evenly over
 * partitions, since their keys do), so three instances owning 2 of 6 partitions each send a third
 * of the rate each. Alone, an instance owns every partition and applies the settings whole.
 *
 * <p>Thread-safety: every method is {@code synchronized}; the consumers' rebalance callbacks write,
 * the pool reads when it installs a target.
 */
final class PartitionShares {
  private static final String PREFIX = Topics.targetTopic("");

  private final Map<String, Set<Integer>> owned = new HashMap<>(); // by target name
  private final Map<String, Integer> totals = new HashMap<>(); // by target name

  /**
   * Notes partitions assigned to one of this instance's consumers; {@code partitionsOf} gives a
   * topic's partition count. Returns the targets whose share changed.
   */
  synchronized Set<String> assigned(
      Collection<TopicPartition> partitions, ToIntFunction<String> partitionsOf) {
    Set<String> changed = new HashSet<>();
    for (TopicPartition tp : partitions) {
      String target = target(tp.topic());
      if (target != null) {
        owned.computeIfAbsent(target, t -> new HashSet<>()).add(tp.partition());
        totals.put(target, Math.max(1, partitionsOf.applyAsInt(tp.topic())));
        changed.add(target);
      }
    }
    return changed;
  }

  /** Notes partitions revoked or lost; returns the targets whose share changed. */
  synchronized Set<String> removed(Collection<TopicPartition> partitions) {
    Set<String> changed = new HashSet<>();
    for (TopicPartition tp : partitions) {
      String target = target(tp.topic());
      Set<Integer> mine = target == null ? null : owned.get(target);
      if (mine != null && mine.remove(tp.partition())) {
        changed.add(target);
      }
    }
    return changed;
  }

  /**
   * The fraction of the target's partitions this instance owns: 1 while it owns them all or none is
   * known yet (a target whose records this instance does not receive uses no limit anyway).
   */
  synchronized double share(String target) {
    Set<Integer> mine = owned.get(target);
    Integer total = totals.get(target);
    if (mine == null || mine.isEmpty() || total == null || mine.size() >= total) {
      return 1.0;
    }
    return (double) mine.size() / total;
  }

  private static String target(String topic) {
    return topic.startsWith(PREFIX) ? topic.substring(PREFIX.length()) : null;
  }
}
