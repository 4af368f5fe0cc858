package dev.herald.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A replay of a bus's archive as stored: what it re-routes and how far it got.
 *
 * @param state {@code running}, {@code completed}, {@code failed} or {@code cancelled}
 * @param from the first ingestion time replayed (inclusive)
 * @param to the end of the window (exclusive)
 * @param rules the rules it routes to; empty for all the bus's rules
 * @param positions per partition of the bus topic, the next offset to read
 * @param lanes per target held back by its backlog while the replay read on for the others, per
 *     partition the next offset to read for that target alone (behind {@code positions}); a target
 *     not named here is at {@code positions}
 * @param endOffsets per partition, the offset where reading stops
 * @param eventsReplayed events of the window read and routed so far
 * @param eventsTotal records between the start and end offsets (an upper bound of the window's
 *     events)
 * @param lastReplayedTime the ingestion time of the last event replayed
 * @param error why it failed, when it did
 */
public record Replay(
    String bus,
    String name,
    String state,
    Instant from,
    Instant to,
    List<String> rules,
    Map<Integer, Long> positions,
    Map<String, Map<Integer, Long>> lanes,
    Map<Integer, Long> endOffsets,
    long eventsReplayed,
    long eventsTotal,
    Optional<Instant> lastReplayedTime,
    Optional<String> error,
    Instant createdAt,
    Instant updatedAt,
    Optional<Instant> finishedAt,
    Optional<String> changedBy) {

  public static final String RUNNING = "running";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";

  public Replay {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    rules = List.copyOf(rules);
    positions = Map.copyOf(positions);
    lanes = copyOfLanes(lanes);
    endOffsets = Map.copyOf(endOffsets);
    Objects.requireNonNull(lastReplayedTime, "lastReplayedTime");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(changedBy, "changedBy");
    if (!List.of(RUNNING, COMPLETED, FAILED, CANCELLED).contains(state)) {
      throw new IllegalArgumentException("unknown replay state '" + state + "'");
    }
  }

  /** An immutable copy of lanes (as {@link #lanes}), shared by the replays' records. */
  public static Map<String, Map<Integer, Long>> copyOfLanes(Map<String, Map<Integer, Long>> lanes) {
    Map<String, Map<Integer, Long>> copy = new HashMap<>();
    lanes.forEach((target, at) -> copy.put(target, Map.copyOf(at)));
    return Map.copyOf(copy);
  }

  public boolean running() {
    return state.equals(RUNNING);
  }
}
