package dev.herald.store;

import dev.herald.core.config.Page;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The replays role of the state store: replays with their progress, and the deliveries they made
 * (for the journeys). Every method is blocking, thread-safe and fails as the {@link StateStore}
 * class comment says.
 */
public interface ReplayStore {

  /**
   * Stores a new replay, held by {@code owner} until {@code leaseUntil}; false (nothing stored)
   * when the bus already has a replay of that name.
   */
  boolean createReplay(Replay replay, String owner, Instant leaseUntil);

  Optional<Replay> replay(String bus, String name);

  /** The replays of a bus, a page ordered by name ({@link StateStore} on paging). */
  Page<Replay> replays(String bus, int limit, Optional<String> after);

  /**
   * Takes the running replays that {@code owner} holds or whose lease expired before {@code now},
   * holding them until {@code leaseUntil}; returns those it took.
   */
  List<Replay> claimRunningReplays(String owner, Instant now, Instant leaseUntil);

  /**
   * Records a batch of a running replay in one transaction: its deliveries and the dead letters of
   * those whose shaping failed (as {@link DeadLetterStore#addDeadLetters}; both kept whatever the
   * replay's state, they were made) and, if {@code owner} still holds the replay and it still runs,
   * its new positions, lanes ({@link Replay#lanes}), counts and lease. Returns false when it no
   * longer does (cancelled, or taken over): the caller stops.
   */
  boolean recordReplayProgress(
      String bus,
      String name,
      String owner,
      Map<Integer, Long> positions,
      Map<String, Map<Integer, Long>> lanes,
      long eventsReplayed,
      Optional<Instant> lastReplayedTime,
      Instant now,
      Instant leaseUntil,
      List<ReplayDelivery> deliveries,
      List<DeadLetter> deadLetters);

  /** Lets go of a running replay {@code owner} holds: any instance may take it at once. */
  void releaseReplay(String bus, String name, String owner);

  /**
   * Ends a running replay with {@code state} ({@code completed}, {@code failed}, {@code cancelled})
   * and the error, if any; returns the replay as it is then, or empty when it does not exist. A
   * replay that no longer runs is left as it is.
   */
  Optional<Replay> finishReplay(
      String bus, String name, String state, Optional<String> error, Instant now);

  /** The deliveries replays made of an event, oldest first. */
  List<ReplayDelivery> replayDeliveriesOfEvent(String eventId);

  /** Deletes replay deliveries made before {@code cutoff}; returns how many. */
  int purgeReplayDeliveriesBefore(Instant cutoff);
}
