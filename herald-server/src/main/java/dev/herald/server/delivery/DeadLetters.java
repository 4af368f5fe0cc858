package dev.herald.server.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import dev.herald.core.event.EventId;
import dev.herald.core.json.Json;
import dev.herald.core.routing.RoutingTable;
import dev.herald.server.config.RoutingTables;
import dev.herald.server.ingest.BusDirectory;
import dev.herald.store.ConfigStore;
import dev.herald.store.DeadLetter;
import dev.herald.store.DeadLetterStore;
import dev.herald.store.Redrive;
import dev.herald.store.RetryMetadata;
import dev.herald.store.ScheduledRetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Redrive of dead letters: each becomes a fresh delivery (attempt 1, due now) with its input shaped
 * again by the rule's current shaping; one whose shaping still fails stays a dead letter.
 * Thread-safe: stateless.
 */
public final class DeadLetters {
  static final int REDRIVE_ALL_BATCH = 500;

  private final DeadLetterStore store;
  private final ConfigStore config;
  private final BusDirectory buses;
  private final RoutingTables tables;
  private final InstantSource clock;

  public DeadLetters(
      DeadLetterStore store,
      ConfigStore config,
      BusDirectory buses,
      RoutingTables tables,
      InstantSource clock) {
    this.store = store;
    this.config = config;
    this.buses = buses;
    this.tables = tables;
    this.clock = clock;
  }

  /** A letter asked for that was not redriven, and why. */
  public record Failure(String id, String code, String message) {}

  /** What a redrive of given ids did: how many became retries, and the ids that did not. */
  public record Outcome(int redriven, List<Failure> failed) {}

  /**
   * Redrives the given dead letters of a target; an id that is not a dead letter of the target
   * (never was, or already redriven or purged) and a letter whose shaping still fails are failures.
   */
  public Outcome redrive(String target, List<String> ids) {
    requireTarget(target);
    List<DeadLetter> letters = store.deadLettersById(target, ids);
    List<Redrive> redrives = decide(letters);
    int redriven = store.redrive(target, redrives);
    java.util.Set<String> found = new java.util.HashSet<>();
    letters.forEach(l -> found.add(l.id()));
    List<Failure> failed = new ArrayList<>();
    for (String id : ids) {
      if (!found.contains(id)) {
        failed.add(
            new Failure(
                id,
                "DeadLetterNotFound",
                "target '"
                    + target
                    + "' has no dead letter '"
                    + id
                    + "' (already redriven or purged?)"));
      }
    }
    for (Redrive redrive : redrives) {
      if (redrive instanceof Redrive.StillDead still) {
        failed.add(new Failure(still.letterId(), still.errorCode(), still.errorMessage()));
      }
    }
    return new Outcome(redriven, List.copyOf(failed));
  }

  /**
   * Redrives every dead letter of a target, a page at a time (each page one transaction); letters
   * whose shaping still fails keep their ids, so the pages move on past them.
   */
  public int redriveAll(String target) {
    requireTarget(target);
    int total = 0;
    Optional<String> after = Optional.empty();
    do {
      Page<DeadLetter> page = store.deadLetters(target, REDRIVE_ALL_BATCH, after);
      total += store.redrive(target, decide(page.items()));
      after = page.next().map(Page::nameAfter);
    } while (after.isPresent());
    return total;
  }

  public String requireTarget(String target) {
    if (config.target(target).isEmpty()) {
      throw new ConfigException.NotFound(
          "TargetNotFound", "target '" + target + "' does not exist");
    }
    return target;
  }

  /** What to do with each letter: a retry due now, or still dead when its shaping fails. */
  private List<Redrive> decide(List<DeadLetter> letters) {
    Instant now = clock.instant();
    List<Redrive> redrives = new ArrayList<>(letters.size());
    for (DeadLetter letter : letters) {
      EventId id = EventId.parse(letter.eventId()).orElseThrow();
      String bus = buses.byOrdinal(id.busOrdinal()).map(b -> b.name()).orElse("");
      RoutingTable table = tables.get(bus);
      redrives.add(
          switch (table.reshape(
              letter.rule(),
              letter.target(),
              letter.deliveryKey(),
              envelope(letter),
              id.ingestedAt())) {
            case RoutingTable.Delivery.Ready ready ->
                new Redrive.Retry(
                    letter.id(),
                    new ScheduledRetry(
                        letter.deliveryKey(),
                        letter.target(),
                        now,
                        1,
                        letter.eventId(),
                        letter.rule(),
                        new RetryMetadata(bus, ready.json(), id.ingestedAt(), Optional.empty(), 0),
                        ready.input(),
                        Optional.empty(),
                        now));
            case RoutingTable.Delivery.Failed failed ->
                new Redrive.StillDead(letter.id(), failed.code(), failed.message(), now);
          });
    }
    return redrives;
  }

  private static ObjectNode envelope(DeadLetter letter) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(letter.envelopeJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
