package dev.herald.engine.replay;

import java.time.Instant;
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
    endOffsets = Map.copyOf(endOffsets);
    Objects.requireNonNull(lastReplayedTime, "lastReplayedTime");
  }

  /** Records between the positions and the end offsets: what is left to read. */
  public long remaining() {
    long left = 0;
    for (Map.Entry<Integer, Long> end : endOffsets.entrySet()) {
      left += Math.max(0, end.getValue() - positions.getOrDefault(end.getKey(), end.getValue()));
    }
    return left;
  }
}
