package dev.herald.store.internal.replay;

import dev.herald.core.config.Page;
import dev.herald.store.DeadLetter;
import dev.herald.store.Replay;
import dev.herald.store.ReplayDelivery;
import dev.herald.store.ReplayStore;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.StoreCalls;
import dev.herald.store.internal.deadletter.DeadLetterRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link ReplayStore} over either database: checks arguments, then {@link ReplayRepository}.
 *
 * <p><b>Thread safety.</b> Stateless apart from the repository, thread-safe as the {@link Database}
 * underneath is.
 */
public final class JdbcReplayStore implements ReplayStore {
  private final StoreCalls calls;
  private final ReplayRepository replays;

  public JdbcReplayStore(Database db, StoreCalls calls, DeadLetterRepository letters) {
    this.calls = calls;
    this.replays = new ReplayRepository(db, letters);
  }

  @Override
  public boolean createReplay(Replay replay, String owner, Instant leaseUntil) {
    Objects.requireNonNull(replay, "replay");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    return calls.call(
        () -> replays.create(replay, owner, leaseUntil),
        "store replay '" + replay.name() + "' of bus '" + replay.bus() + "'");
  }

  @Override
  public Optional<Replay> replay(String bus, String name) {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(name, "name");
    return calls.call(
        () -> replays.get(bus, name), "read replay '" + name + "' of bus '" + bus + "'");
  }

  @Override
  public Page<Replay> replays(String bus, int limit, Optional<String> after) {
    Objects.requireNonNull(bus, "bus");
    StoreCalls.requireAtLeastOne("limit", limit);
    return calls.call(
        () -> replays.page(bus, Math.min(limit, Page.MAX_LIMIT), after),
        "list the replays of bus '" + bus + "'");
  }

  @Override
  public List<Replay> claimRunningReplays(String owner, Instant now, Instant leaseUntil) {
    Objects.requireNonNull(owner, "owner");
    return calls.call(() -> replays.claim(owner, now, leaseUntil), "claim running replays");
  }

  @Override
  public boolean recordReplayProgress(
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
      List<DeadLetter> deadLetters) {
    Map<Integer, Long> at = Map.copyOf(positions);
    Map<String, Map<Integer, Long>> behind = Replay.copyOfLanes(lanes);
    List<ReplayDelivery> made = List.copyOf(deliveries);
    List<DeadLetter> dead = List.copyOf(deadLetters);
    return calls.call(
        () ->
            replays.progress(
                bus,
                name,
                owner,
                at,
                behind,
                eventsReplayed,
                lastReplayedTime,
                now,
                leaseUntil,
                made,
                dead),
        "record the progress of replay '" + name + "' of bus '" + bus + "'");
  }

  @Override
  public void releaseReplay(String bus, String name, String owner) {
    calls.run(
        () -> replays.release(bus, name, owner),
        "release replay '" + name + "' of bus '" + bus + "'");
  }

  @Override
  public Optional<Replay> finishReplay(
      String bus, String name, String state, Optional<String> error, Instant now) {
    if (!List.of(Replay.COMPLETED, Replay.FAILED, Replay.CANCELLED).contains(state)) {
      throw new IllegalArgumentException("a replay cannot end as '" + state + "'");
    }
    return calls.call(
        () -> replays.finish(bus, name, state, error, now),
        "end replay '" + name + "' of bus '" + bus + "'");
  }

  @Override
  public List<ReplayDelivery> replayDeliveriesOfEvent(String eventId) {
    Objects.requireNonNull(eventId, "eventId");
    return calls.call(
        () -> replays.deliveriesOf(eventId), "read the replayed deliveries of " + eventId);
  }

  @Override
  public int purgeReplayDeliveriesBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    return calls.call(() -> replays.purgeBefore(cutoff), "purge old replayed deliveries");
  }
}
