package dev.herald.engine.replay;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A replay to run, where it stands: re-route the events of {@code bus} ingested in [{@code from},
 * {@code to}) to its rules (all of them when {@code rules} is empty), reading each partition of the
 * bus topic from {@code positions} up to {@code endOffsets}.
 *
 * @param busOrdinal the bus's ordinal (part of its event ids)
 * @param positions per partition, the next offset to read
 * @param lanes per target whose backlog held its deliveries back while the replay read on for the
 *     other targets, per partition the next offset to read for it alone (behind {@code positions});
 *     a target not named here is at {@code positions}
 * @param endOffsets per partition, the offset where reading stops
 * @param eventsReplayed events of the window routed so far
 */
public record ReplayJob(
    String bus,
    int busOrdinal,
    String name,
    Instant from,
    Instant to,
    Set<String> rules,
    Map<Integer, Long> positions,
    Map<String, Map<Integer, Long>> lanes,
    Map<Integer, Long> endOffsets,
    long eventsReplayed,
    Optional<Instant> lastReplayedTime) {

  public ReplayJob {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    rules = Set.copyOf(rules);
    positions = Map.copyOf(positions);
    Map<String, Map<Integer, Long>> copy = new HashMap<>();
    lanes.forEach((target, at) -> copy.put(target, Map.copyOf(at)));
    lanes = Map.copyOf(copy);
    endOffsets = Map.copyOf(endOffsets);
    Objects.requireNonNull(lastReplayedTime, "lastReplayedTime");
  }

  /** Records between the positions and the end offsets: what is left to read (lanes aside). */
  public long remaining() {
    long left = 0;
    for (Map.Entry<Integer, Long> end : endOffsets.entrySet()) {
      left += Math.max(0, end.getValue() - positions.getOrDefault(end.getKey(), end.getValue()));
    }
    return left;
  }
}
