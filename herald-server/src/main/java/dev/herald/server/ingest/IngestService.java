package dev.herald.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.event.EntryCheck;
import dev.herald.core.event.EntryErrors;
import dev.herald.core.event.EntryValidator;
import dev.herald.core.event.EventId;
import dev.herald.core.event.NewEvent;
import dev.herald.core.trace.Span;
import dev.herald.core.trace.Tracing;
import dev.herald.engine.bus.EventAppender;
import dev.herald.store.Bus;
import dev.herald.store.ClientIdRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates the entries of a publish request, appends the valid ones to their bus topics and
 * answers per entry, in request order. An entry is answered with an event id only after Kafka
 * acknowledged it. Thread-safe: holds no per-request state; the appender, the dedupe and the bus
 * directory are thread-safe.
 */
public final class IngestService {
  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

  /** The largest entry accepted, measured as the bytes stored for it (key and value). */
  public static final int MAX_ENTRY_BYTES = 1024 * 1024;

  /** What a publish request produced. */
  public record Outcome(List<EntryResult> results, int stored, boolean engineUnavailable) {
    public int failedCount() {
      return results.size() - stored;
    }

    /** Nothing was stored because the engine (or store) refused: the whole request may retry. */
    public boolean nothingStoredForLackOfEngine() {
      return stored == 0 && engineUnavailable;
    }
  }

  private final EventAppender appender;
  private final BusDirectory buses;
  private final ClientIdDedupe dedupe;
  private final InstantSource clock;
  private final MeterRegistry metrics;

  /**
   * The bus tag of entries whose bus is invalid or does not exist: a name clients choose must not
   * make new series ("-" is not a valid bus name).
   */
  static final String UNKNOWN_BUS_TAG = "-";

  private final Map<String, Counter> accepted = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final Tracing tracing;

  public IngestService(
      EventAppender appender,
      BusDirectory buses,
      dev.herald.store.ClientIdStore store,
      InstantSource clock,
      MeterRegistry metrics) {
    this(appender, buses, store, clock, metrics, Tracing.OFF);
  }

  /** As above, with a span per publish ({@code tracing}: {@link Tracing#OFF} for none). */
  public IngestService(
      EventAppender appender,
      BusDirectory buses,
      dev.herald.store.ClientIdStore store,
      InstantSource clock,
      MeterRegistry metrics,
      Tracing tracing) {
    this.tracing = tracing;
    this.appender = appender;
    this.buses = buses;
    this.dedupe = new ClientIdDedupe(store);
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The most event ids an ingest span lists ({@code herald.event_ids}); the count is complete. */
  static final int SPAN_EVENT_IDS = 100;

  /**
   * Publishes entries under an ingest span ({@code herald.ingest}) that continues {@code incoming}
   * (the publisher's W3C traceparent, or a bus target's attempt) or starts a trace; the events
   * carry the span's context. With tracing off, or the trace unsampled, the events carry {@code
   * incoming}'s trace with a new span id ({@link TraceContext#ingestSpan}) as before.
   */
  public Outcome publish(List<JsonNode> entries, Optional<String> incoming, int hops) {
    if (!tracing.enabled()) {
      return publish(entries, TraceContext.ingestSpan(incoming), hops);
    }
    Span span = tracing.start("herald.ingest", Tracing.Kind.SERVER, incoming);
    Optional<String> own = span.traceparentOr(Optional.empty());
    Outcome outcome =
        publish(entries, own.orElseGet(() -> TraceContext.ingestSpan(incoming)), hops);
    if (span.recording()) {
      List<String> ids = new ArrayList<>();
      for (EntryResult result : outcome.results()) {
        if (result instanceof EntryResult.Stored stored && ids.size() < SPAN_EVENT_IDS) {
          ids.add(stored.eventId());
        }
      }
      span.set("herald.entries", outcome.results().size())
          .set("herald.entries.stored", outcome.stored())
          .set("herald.entries.failed", outcome.failedCount())
          .set("herald.event_ids", ids);
      if (hops > 0) {
        span.set("herald.hops", hops);
      }
      if (outcome.failedCount() > 0) {
        span.fail(
            outcome.nothingStoredForLackOfEngine() ? "EngineUnavailable" : "EntriesFailed",
            outcome.failedCount() + " of " + outcome.results().size() + " entries failed");
      }
    }
    span.end();
    return outcome;
  }

  /** Publishes a request's entries; {@code traceparent} is the request's W3C trace context. */
  public Outcome publish(List<JsonNode> entries, String traceparent) {
    return publish(entries, traceparent, 0);
  }

  /**
   * Publishes entries that a bus target re-publishes: as {@link #publish(List, String)}, each
   * stored event carrying {@code hops} (how many times bus targets have re-published its chain).
   */
  public Outcome publish(List<JsonNode> entries, String traceparent, int hops) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS); // the precision of ingestedAt
    EntryResult[] results = new EntryResult[entries.size()];
    String[] busOf = new String[entries.size()]; // the bus tag of each entry's counter
    List<Pending> pending = new ArrayList<>();
    Map<String, Integer> firstWithClientId = new HashMap<>();
    Map<Integer, Integer> sameAs = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      EntryCheck check = EntryValidator.check(entries.get(i), now);
      switch (check) {
        case EntryCheck.Invalid invalid -> {
          results[i] = new EntryResult.Failed(invalid.code(), invalid.message(), invalid.field());
          busOf[i] = busTag(entries.get(i).path("bus"));
        }
        case EntryCheck.Valid valid -> {
          NewEvent event = valid.event();
          busOf[i] = busTag(event.bus());
          Optional<String> clientKey = event.clientId().map(id -> event.bus() + '\u0000' + id);
          if (clientKey.isPresent() && firstWithClientId.containsKey(clientKey.get())) {
            sameAs.put(i, firstWithClientId.get(clientKey.get()));
            continue;
          }
          int index = i;
          clientKey.ifPresent(key -> firstWithClientId.put(key, index));
          results[i] = prepare(i, event, now, pending);
        }
      }
    }
    long ingestedAt = now.toEpochMilli();
    try {
      for (Pending p : pending) {
        p.future = appender.append(p.encoded, ingestedAt, traceparent, hops);
      }
      return finish(results, busOf, pending, sameAs, now);
    } finally {
      for (Pending p : pending) { // a no-op for claims finish() released
        if (p.claim != null && !p.claim.outcome().isDone()) {
          dedupe.release(p.claim, Optional.empty());
        }
      }
    }
  }

  /** The bus tag of an invalid entry's counter: its bus when that exists (absent: the default). */
  private String busTag(JsonNode bus) {
    return bus.isMissingNode()
        ? busTag(EntryValidator.DEFAULT_BUS)
        : bus.isTextual() ? busTag(bus.asText()) : UNKNOWN_BUS_TAG;
  }

  private String busTag(String bus) {
    return buses.byName(bus).isPresent() ? bus : UNKNOWN_BUS_TAG;
  }

  /** Encodes and claims one valid entry; answers at once when it cannot or need not be sent. */
  private EntryResult prepare(int index, NewEvent event, Instant now, List<Pending> pending) {
    Optional<Bus> bus = buses.byName(event.bus());
    if (bus.isEmpty()) {
      return new EntryResult.Failed(
          EntryErrors.UNKNOWN_BUS, "bus '" + event.bus() + "' does not exist", "bus");
    }
    EventAppender.Encoded encoded = EventAppender.encode(event, bus.get().ordinal());
    if (encoded.size() > MAX_ENTRY_BYTES) {
      return new EntryResult.Failed(
          EntryErrors.ENTRY_TOO_LARGE,
          "entry is " + encoded.size() + " bytes; the limit is " + MAX_ENTRY_BYTES,
          "detail");
    }
    ClientIdDedupe.Claim.Owned claim = null;
    if (event.clientId().isPresent()) {
      try {
        switch (dedupe.claim(event.bus(), event.clientId().get(), now)) {
          case ClientIdDedupe.Claim.Duplicate duplicate -> {
            return new EntryResult.Stored(duplicate.eventId());
          }
          case ClientIdDedupe.Claim.Owned owned -> claim = owned;
        }
      } catch (RuntimeException e) {
        LOG.warn("cannot check client id {} on bus {}: {}", event.clientId().get(), event.bus(), e);
        return engineUnavailable("the state store is unavailable; the entry was not stored");
      }
    }
    pending.add(new Pending(index, encoded, claim));
    return null;
  }

  /** Waits for the acknowledgements, records client ids, then answers duplicates in the batch. */
  private Outcome finish(
      EntryResult[] results,
      String[] busOf,
      List<Pending> pending,
      Map<Integer, Integer> sameAs,
      Instant now) {
    List<ClientIdRecord> remembered = new ArrayList<>();
    for (Pending p : pending) {
      try {
        String id = p.future.join().toString();
        results[p.index] = new EntryResult.Stored(id);
        p.encoded
            .event()
            .clientId()
            .ifPresent(
                c -> remembered.add(new ClientIdRecord(p.encoded.event().bus(), c, id, now)));
      } catch (CompletionException e) {
        LOG.warn(
            "entry not stored on bus {}: {}", p.encoded.event().bus(), e.getCause().toString());
        results[p.index] = engineUnavailable("the engine did not store the entry: " + reason(e));
      }
    }
    rememberClientIds(remembered);
    for (Pending p : pending) {
      if (p.claim != null) {
        dedupe.release(p.claim, storedId(results[p.index]));
      }
    }
    sameAs.forEach((index, first) -> results[index] = results[first]);
    return count(List.of(results), busOf);
  }

  private void rememberClientIds(List<ClientIdRecord> records) {
    try {
      dedupe.remember(records);
    } catch (RuntimeException e) {
      // the events are stored and acknowledged; only the dedupe window is lost for these ids
      LOG.error("stored {} events but could not record their client ids: {}", records.size(), e);
    }
  }

  private Outcome count(List<EntryResult> results, String[] busOf) {
    int stored = 0;
    boolean engineUnavailable = false;
    for (int i = 0; i < results.size(); i++) {
      EntryResult result = results.get(i);
      String bus = busOf[i];
      switch (result) {
        case EntryResult.Stored s -> {
          stored++;
          accepted
              .computeIfAbsent(
                  bus,
                  b ->
                      Counter.builder("herald.ingest.entries.accepted")
                          .description("Entries stored (or answered as duplicates of stored ones)")
                          .tag("bus", b)
                          .register(metrics))
              .increment();
        }
        case EntryResult.Failed f -> {
          engineUnavailable |= f.code().equals(EntryErrors.ENGINE_UNAVAILABLE);
          rejected
              .computeIfAbsent(
                  bus + '\u0000' + f.code(),
                  key ->
                      Counter.builder("herald.ingest.entries.rejected")
                          .description("Entries not stored, by bus and entry error code")
                          .tag("bus", bus)
                          .tag("code", f.code())
                          .register(metrics))
              .increment();
        }
      }
    }
    return new Outcome(results, stored, engineUnavailable);
  }

  /** Drops client ids older than the dedupe window; returns how many. */
  public int purgeExpiredClientIds() {
    return dedupe.purgeExpired(clock.instant());
  }

  private static Optional<String> storedId(EntryResult result) {
    return result instanceof EntryResult.Stored s ? Optional.of(s.eventId()) : Optional.empty();
  }

  private static EntryResult.Failed engineUnavailable(String message) {
    return new EntryResult.Failed(EntryErrors.ENGINE_UNAVAILABLE, message, "");
  }

  private static String reason(CompletionException e) {
    Throwable cause = e.getCause() == null ? e : e.getCause();
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  private static final class Pending {
    final int index;
    final EventAppender.Encoded encoded;
    final ClientIdDedupe.Claim.Owned claim;
    CompletableFuture<EventId> future;

    Pending(int index, EventAppender.Encoded encoded, ClientIdDedupe.Claim.Owned claim) {
      this.index = index;
      this.encoded = encoded;
      this.claim = claim;
    }
  }
}
