package dev.herald.engine.replay;

import dev.herald.core.routing.RoutingTable.Delivery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where replays keep their state (herald-server: the state store). Every call is blocking and
 * thread-safe.
 */
public interface ReplayLedger {

  /** One event a replay routed: its deliveries, as the replay made them. */
  record Replayed(String eventId, Instant replayedAt, List<Delivery> deliveries) {
    public Replayed {
      deliveries = List.copyOf(deliveries);
    }
  }

  /**
   * Records a batch once its target records are stored: the deliveries (for the journeys) and the
   * replay's new positions, in one transaction. False when the replay no longer runs here
   * (cancelled, or taken over by another instance): the replay stops.
   */
  boolean progress(
      ReplayJob job,
      Map<Integer, Long> positions,
      long eventsReplayed,
      Optional<Instant> lastReplayedTime,
      List<Replayed> batch);

  /**
   * Lets go of a replay that still runs, as this instance stops: another instance (or this one
   * started again) resumes it at once, without waiting for its lease to expire.
   */
  void release(ReplayJob job);

  /** Ends the replay: {@code completed} or {@code failed} (with the reason). */
  void finish(ReplayJob job, String state, Optional<String> error);
}
