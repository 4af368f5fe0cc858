package dev.herald.server.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.ConfigException;
import dev.herald.core.event.EventId;
import dev.herald.core.json.Json;
import dev.herald.core.routing.RoutingTable;
import dev.herald.server.config.RoutingTables;
import dev.herald.server.ingest.BusDirectory;
import dev.herald.store.DeadLetter;
import dev.herald.store.ScheduledRetry;
import dev.herald.store.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Redrive of dead letters: each becomes a fresh delivery (attempt 1, due now) with its input shaped
 * again by the rule's current shaping; one whose shaping still fails stays a dead letter.
 * Thread-safe: stateless.
 */
public final class DeadLetters {
  static final int REDRIVE_ALL_BATCH = 500;

  private final StateStore store;
  private final BusDirectory buses;
  private final RoutingTables tables;
  private final InstantSource clock;

  public DeadLetters(
      StateStore store, BusDirectory buses, RoutingTables tables, InstantSource clock) {
    this.store = store;
    this.buses = buses;
    this.tables = tables;
    this.clock = clock;
  }

  /** Redrives the given dead letters of a target (unknown ids are ignored); returns how many. */
  public int redrive(String target, List<String> ids) {
    return schedule(store.takeDeadLetters(requireTarget(target), ids));
  }

  /** Redrives every dead letter of a target. */
  public int redriveAll(String target) {
    requireTarget(target);
    int total = 0;
    for (List<DeadLetter> batch = store.takeAllDeadLetters(target, REDRIVE_ALL_BATCH);
        !batch.isEmpty();
        batch = store.takeAllDeadLetters(target, REDRIVE_ALL_BATCH)) {
      total += schedule(batch);
    }
    return total;
  }

  public String requireTarget(String target) {
    if (store.target(target).isEmpty()) {
      throw new ConfigException.NotFound(
          "TargetNotFound", "target '" + target + "' does not exist");
    }
    return target;
  }

  private int schedule(List<DeadLetter> letters) {
    Instant now = clock.instant();
    List<ScheduledRetry> retries = new ArrayList<>();
    List<DeadLetter> stillDead = new ArrayList<>();
    for (DeadLetter letter : letters) {
      EventId id = EventId.parse(letter.eventId()).orElseThrow();
      String bus = buses.byOrdinal(id.busOrdinal()).map(b -> b.name()).orElse("");
      RoutingTable table = tables.get(bus);
      switch (table.reshape(
          letter.rule(),
          letter.target(),
          letter.deliveryKey(),
          envelope(letter),
          id.ingestedAt())) {
        case RoutingTable.Delivery.Ready ready ->
            retries.add(
                new ScheduledRetry(
                    letter.deliveryKey(),
                    letter.target(),
                    now,
                    1,
                    letter.eventId(),
                    letter.rule(),
                    Map.of(
                        StoreLedger.BUS, bus,
                        StoreLedger.JSON, Boolean.toString(ready.json()),
                        StoreLedger.INGESTED_AT, Long.toString(id.ingestedAtMillis())),
                    ready.input(),
                    Optional.empty(),
                    now));
        case RoutingTable.Delivery.Failed failed ->
            stillDead.add(
                new DeadLetter(
                    null,
                    letter.target(),
                    letter.deliveryKey(),
                    letter.eventId(),
                    letter.rule(),
                    letter.envelopeJson(),
                    letter.attempts(),
                    failed.code(),
                    failed.message(),
                    letter.firstAttemptAt(),
                    now));
      }
    }
    if (!retries.isEmpty()) {
      store.scheduleRetries(retries);
    }
    if (!stillDead.isEmpty()) {
      store.addDeadLetters(stillDead);
    }
    return retries.size();
  }

  private static ObjectNode envelope(DeadLetter letter) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(letter.envelopeJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
