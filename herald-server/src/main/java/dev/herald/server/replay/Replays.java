package dev.herald.server.replay;

import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import dev.herald.core.event.Names;
import dev.herald.core.routing.RoutingTable.Delivery;
import dev.herald.engine.replay.ReplayJob;
import dev.herald.engine.replay.ReplayLedger;
import dev.herald.engine.replay.ReplayManager;
import dev.herald.server.config.StoreRouteSink;
import dev.herald.server.ingest.BusDirectory;
import dev.herald.store.Bus;
import dev.herald.store.ConfigStore;
import dev.herald.store.DeadLetter;
import dev.herald.store.Replay;
import dev.herald.store.ReplayDelivery;
import dev.herald.store.ReplayStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays of the buses' archives: starts (checking the request), cancels, lists, and keeps them
 * running across restarts and instances. A replay runs on the instance that holds its lease in the
 * store ({@link #LEASE}, renewed with each batch); every {@link #SCAN} each instance takes the
 * running replays whose lease expired (their instance stopped) and resumes them from their saved
 * positions. It is the engine's {@link ReplayLedger}, over the store.
 *
 * <p>Thread-safe: the store and the manager are; the scanner is one scheduled thread.
 */
public final class Replays implements ReplayLedger, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Replays.class);
  static final Duration LEASE = Duration.ofSeconds(30);
  static final Duration SCAN = Duration.ofSeconds(10);

  private final ReplayStore store;
  private final ConfigStore config;
  private final BusDirectory buses;
  private final ReplayManager manager;
  private final InstantSource clock;
  private final String instanceId;
  private final ScheduledExecutorService scanner =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("herald-replay-scan").daemon().factory());

  /** What a new replay asks for. */
  public record Request(
      String bus, String name, Instant from, Instant to, List<String> rules, String changedBy) {}

  public Replays(
      ReplayStore store,
      ConfigStore config,
      BusDirectory buses,
      Function<ReplayLedger, ReplayManager> managers,
      InstantSource clock,
      String instanceId) {
    this.store = store;
    this.config = config;
    this.buses = buses;
    this.manager = managers.apply(this);
    this.clock = clock;
    this.instanceId = instanceId;
  }

  /** Resumes the running replays no other instance holds, now and every {@link #SCAN}. */
  public Replays start() {
    var unused = scanner.scheduleWithFixedDelay(this::resume, 0, SCAN.toMillis(), MILLIS);
    return this;
  }

  private static final TimeUnit MILLIS = TimeUnit.MILLISECONDS;

  /** Takes and runs the running replays that this instance may run (their lease expired). */
  public void resume() {
    try {
      Instant now = clock.instant();
      for (Replay replay : store.claimRunningReplays(instanceId, now, now.plus(LEASE))) {
        if (!manager.runs(replay.bus(), replay.name())) {
          Optional<Bus> bus = buses.byName(replay.bus());
          if (bus.isEmpty()) {
            store.finishReplay(
                replay.bus(),
                replay.name(),
                Replay.FAILED,
                Optional.of("bus '" + replay.bus() + "' no longer exists"),
                now);
            LOG.error("replay {} failed: bus {} no longer exists", replay.name(), replay.bus());
            continue;
          }
          LOG.info("resuming replay {} of bus {}", replay.name(), replay.bus());
          manager.run(job(replay, bus.get().ordinal()));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot resume the running replays now: {}", e.toString());
    }
  }

  /**
   * Starts a replay.
   *
   * @throws ConfigException.Invalid a bad name, window or rule list (naming the field)
   * @throws ConfigException.NotFound an unknown bus
   * @throws ConfigException.Conflict a name the bus already used
   */
  public Replay start(Request request) {
    Bus bus =
        buses
            .byName(request.bus())
            .orElseThrow(
                () ->
                    new ConfigException.NotFound(
                        "BusNotFound", "bus '" + request.bus() + "' does not exist"));
    check(request);
    if (store.replay(request.bus(), request.name()).isPresent()) {
      throw conflict(request);
    }
    ReplayManager.Plan plan = manager.plan(request.bus(), request.from(), request.to());
    Instant now = clock.instant();
    Replay replay =
        new Replay(
            request.bus(),
            request.name(),
            Replay.RUNNING,
            request.from(),
            request.to(),
            request.rules(),
            plan.positions(),
            Map.of(),
            plan.endOffsets(),
            0,
            plan.total(),
            Optional.empty(),
            Optional.empty(),
            now,
            now,
            Optional.empty(),
            Optional.of(request.changedBy()));
    if (!store.createReplay(replay, instanceId, now.plus(LEASE))) {
      throw conflict(request);
    }
    LOG.info(
        "replay {} of bus {} started by {}: {} to {}, rules {}, up to {} records",
        replay.name(),
        replay.bus(),
        request.changedBy(),
        replay.from(),
        replay.to(),
        replay.rules().isEmpty() ? "all" : replay.rules(),
        plan.total());
    manager.run(job(replay, bus.ordinal()));
    return replay;
  }

  private void check(Request request) {
    if (!Names.isValid(request.name())) {
      throw new ConfigException.Invalid(
          "name", "name must be " + Names.describe() + ", got '" + request.name() + "'");
    }
    if (!request.to().isAfter(request.from())) {
      throw new ConfigException.Invalid(
          "to", "to (" + request.to() + ") must be after from (" + request.from() + ")");
    }
    if (request.to().isAfter(clock.instant())) {
      throw new ConfigException.Invalid(
          "to",
          "to ("
              + request.to()
              + ") is in the future; a replay reads only what was ingested already");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < request.rules().size(); i++) {
      String rule = request.rules().get(i);
      if (!seen.add(rule)) {
        throw new ConfigException.Invalid("rules[" + i + "]", "rule '" + rule + "' is named twice");
      }
      if (!Names.isValid(rule) || config.rule(request.bus(), rule).isEmpty()) {
        throw new ConfigException.Invalid(
            "UnknownRule",
            "rules[" + i + "]",
            "bus '" + request.bus() + "' has no rule '" + rule + "'");
      }
    }
  }

  private static ConfigException.Conflict conflict(Request request) {
    return new ConfigException.Conflict(
        "ReplayExists",
        "bus '" + request.bus() + "' already has a replay named '" + request.name() + "'",
        List.of(request.name()));
  }

  /** A replay of a bus, as stored. */
  public Replay get(String bus, String name) {
    requireBus(bus);
    return store.replay(bus, name).orElseThrow(() -> notFound(bus, name));
  }

  public Page<Replay> list(String bus, int limit, Optional<String> after) {
    requireBus(bus);
    return store.replays(bus, limit, after);
  }

  /**
   * Cancels a running replay: it stops after its current batch (on whichever instance runs it).
   *
   * @throws ConfigException.Conflict when it no longer runs
   */
  public Replay cancel(String bus, String name, String by) {
    Replay replay = get(bus, name);
    if (!replay.running()) {
      throw new ConfigException.Conflict(
          "ReplayNotRunning",
          "replay '" + name + "' of bus '" + bus + "' is " + replay.state() + ", not running",
          List.of(name));
    }
    Replay ended =
        store
            .finishReplay(bus, name, Replay.CANCELLED, Optional.empty(), clock.instant())
            .orElseThrow(() -> notFound(bus, name));
    manager.stop(bus, name);
    LOG.info("replay {} of bus {} cancelled by {}", name, bus, by);
    return ended;
  }

  private void requireBus(String bus) {
    if (buses.byName(bus).isEmpty()) {
      throw new ConfigException.NotFound("BusNotFound", "bus '" + bus + "' does not exist");
    }
  }

  private static ConfigException.NotFound notFound(String bus, String name) {
    return new ConfigException.NotFound(
        "ReplayNotFound", "bus '" + bus + "' has no replay '" + name + "'");
  }

  private static ReplayJob job(Replay replay, int busOrdinal) {
    return new ReplayJob(
        replay.bus(),
        busOrdinal,
        replay.name(),
        replay.from(),
        replay.to(),
        Set.copyOf(replay.rules()),
        replay.positions(),
        replay.lanes(),
        replay.endOffsets(),
        replay.eventsReplayed(),
        replay.lastReplayedTime());
  }

  // --- the engine's ledger ---

  @Override
  public boolean progress(
      ReplayJob job,
      Map<Integer, Long> positions,
      Map<String, Map<Integer, Long>> lanes,
      long eventsReplayed,
      Optional<Instant> lastReplayedTime,
      List<Replayed> batch) {
    List<ReplayDelivery> deliveries = new ArrayList<>();
    List<DeadLetter> deadLetters = new ArrayList<>();
    for (Replayed event : batch) {
      for (Delivery d : event.deliveries()) {
        Optional<String> code = Optional.empty();
        Optional<String> message = Optional.empty();
        if (d instanceof Delivery.Failed failed) {
          code = Optional.of(failed.code());
          message = Optional.of(failed.message());
          deadLetters.add(
              StoreRouteSink.deadLetter(
                  event.eventId(), failed, event.envelopeJson(), event.replayedAt()));
        }
        deliveries.add(
            new ReplayDelivery(
                d.deliveryKey(),
                event.eventId(),
                job.bus(),
                job.name(),
                d.rule(),
                d.target(),
                code,
                message,
                event.replayedAt()));
      }
    }
    Instant now = clock.instant();
    return store.recordReplayProgress(
        job.bus(),
        job.name(),
        instanceId,
        positions,
        lanes,
        eventsReplayed,
        lastReplayedTime,
        now,
        now.plus(LEASE),
        deliveries,
        deadLetters);
  }

  @Override
  public void release(ReplayJob job) {
    store.releaseReplay(job.bus(), job.name(), instanceId);
  }

  @Override
  public void finish(ReplayJob job, String state, Optional<String> error) {
    store.finishReplay(job.bus(), job.name(), state, error, clock.instant());
  }

  @Override
  public void close() {
    scanner.shutdownNow();
    manager.close();
  }
}
