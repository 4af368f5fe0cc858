package dev.herald.engine.replay;

import dev.herald.core.routing.RoutingTable.Delivery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where replays keep their state (herald-server: the state store). Every call is blocking and
 * thread-safe.
 */
public interface ReplayLedger {

  /**
   * One event a replay routed: its deliveries, as the replay made them.
   *
   * @param envelopeJson the replayed envelope, present when a delivery failed shaping (for its dead
   *     letter, as the router's {@code RoutedEvent})
   */
  record Replayed(
      String eventId,
      Instant replayedAt,
      List<Delivery> deliveries,
      Optional<String> envelopeJson) {
    public Replayed {
      deliveries = List.copyOf(deliveries);
      Objects.requireNonNull(envelopeJson, "envelopeJson");
    }
  }

  /**
   * Records a batch once its target records are stored: the deliveries (for the journeys), a dead
   * letter for each that failed shaping (as live routing does), and the replay's new positions and
   * lanes ({@link ReplayJob#lanes}), in one transaction. False when the replay no longer runs here
   * (cancelled, or taken over by another instance): the replay stops.
   */
  boolean progress(
      ReplayJob job,
      Map<Integer, Long> positions,
      Map<String, Map<Integer, Long>> lanes,
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
