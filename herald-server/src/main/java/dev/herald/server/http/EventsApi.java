package dev.herald.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.EntryValidator;
import dev.herald.core.event.EventCodec;
import dev.herald.core.event.EventId;
import dev.herald.core.event.EventQuery;
import dev.herald.core.event.Names;
import dev.herald.core.event.PublishedEvent;
import dev.herald.core.json.Json;
import dev.herald.engine.bus.EventReader;
import dev.herald.engine.inspect.EventSearch;
import dev.herald.engine.topic.Topics;
import dev.herald.server.auth.AuthFilter;
import dev.herald.server.auth.Principal;
import dev.herald.server.ingest.BusDirectory;
import dev.herald.server.ingest.EntryResult;
import dev.herald.server.ingest.IngestService;
import dev.herald.server.limits.RateLimits;
import dev.herald.store.JournalEntry;
import dev.herald.store.JournalStore;
import dev.herald.store.ReplayDelivery;
import dev.herald.store.ReplayStore;
import dev.herald.store.RoutedDelivery;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/events}, {@code GET /v1/events/{id}} (an event and its journey) and {@code GET
 * /v1/events?bus=&source=&detailType=&from=&to=} (a search of a bus's recent events, read from its
 * topic: {@link EventSearch}). Stateless; thread-safe.
 */
public final class EventsApi {
  public static final int MAX_ENTRIES = 1000;
  public static final long MAX_REQUEST_BYTES = 10L * 1024 * 1024;
  static final String RETRY_AFTER_SECONDS = "1";
  private static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");

  private final IngestService ingest;
  private final EventReader reader;
  private final Topics topics;
  private final BusDirectory buses;
  private final JournalStore store;
  private final Timer latency;
  private final RateLimits limits;
  private final EventSearch search;
  private final InstantSource clock;
  private final Optional<ReplayStore> replays;

  /** The most records one search request reads (its page may be short, with a cursor). */
  static final int SEARCH_SCAN_BUDGET = 100_000;

  public EventsApi(
      IngestService ingest,
      EventReader reader,
      Topics topics,
      BusDirectory buses,
      JournalStore store,
      MeterRegistry metrics,
      RateLimits limits,
      EventSearch search,
      InstantSource clock) {
    this(ingest, reader, topics, buses, store, metrics, limits, search, clock, Optional.empty());
  }

  /** As above; an event's journey also shows the deliveries {@code replays} made of it. */
  public EventsApi(
      IngestService ingest,
      EventReader reader,
      Topics topics,
      BusDirectory buses,
      JournalStore store,
      MeterRegistry metrics,
      RateLimits limits,
      EventSearch search,
      InstantSource clock,
      Optional<ReplayStore> replays) {
    this.replays = replays;
    this.limits = limits;
    this.search = search;
    this.clock = clock;
    this.store = store;
    this.ingest = ingest;
    this.reader = reader;
    this.topics = topics;
    this.buses = buses;
    this.latency =
        Timer.builder("herald.ingest.request.latency")
            .description("Time to answer POST /v1/events, acknowledgement included")
            .publishPercentileHistogram()
            .register(metrics);
  }

  public void register(HttpRouting.Builder routing) {
    routing.post("/v1/events", this::publish);
    routing.get("/v1/events", this::search);
    routing.get("/v1/events/{id}", this::get);
  }

  private void publish(ServerRequest req, ServerResponse res) {
    Timer.Sample sample = Timer.start();
    try {
      Http.requireJson(req);
      List<JsonNode> entries = entries(Http.parse(Http.readBody(req, MAX_REQUEST_BYTES)));
      Principal principal = Principal.of(req);
      principal.requirePublish(entries);
      limits
          .admitPublish(principal.keyId(), busOfEach(entries))
          .ifPresent(refusal -> AuthFilter.refuse(res, refusal));
      IngestService.Outcome outcome = ingest.publish(entries, req.headers().first(TRACEPARENT), 0);
      if (outcome.nothingStoredForLackOfEngine()) {
        res.header("Retry-After", RETRY_AFTER_SECONDS);
        throw new ApiError(
            503, "ServiceUnavailable", "the engine is unavailable; no entry was stored");
      }
      Http.send(res, 200, render(outcome));
    } finally {
      sample.stop(latency);
    }
  }

  /** The bus each entry names (the default bus when none), empty when it is not a valid name. */
  private static List<Optional<String>> busOfEach(List<JsonNode> entries) {
    List<Optional<String>> buses = new ArrayList<>(entries.size());
    for (JsonNode entry : entries) {
      JsonNode bus = entry.path("bus");
      if (bus.isMissingNode()) {
        buses.add(Optional.of(EntryValidator.DEFAULT_BUS));
      } else if (bus.isTextual() && Names.isValid(bus.asText())) {
        buses.add(Optional.of(bus.asText()));
      } else {
        buses.add(Optional.empty());
      }
    }
    return buses;
  }

  private static List<JsonNode> entries(JsonNode body) {
    if (!body.isObject()) {
      throw ApiError.invalidRequest("the body must be a JSON object with 'entries'", null);
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("entries")) {
        throw ApiError.invalidRequest(
            "unknown field '" + name + "'; expected only 'entries'", name);
      }
    }
    JsonNode entries = body.get("entries");
    if (entries == null || !entries.isArray()) {
      throw ApiError.invalidRequest("entries must be an array of entries", "entries");
    }
    if (entries.isEmpty()) {
      throw ApiError.invalidRequest("entries must hold at least one entry", "entries");
    }
    if (entries.size() > MAX_ENTRIES) {
      throw new ApiError(
          413,
          "TooManyEntries",
          "entries holds " + entries.size() + " entries; the limit is " + MAX_ENTRIES,
          "entries");
    }
    List<JsonNode> list = new ArrayList<>(entries.size());
    entries.forEach(list::add);
    return list;
  }

  private static ObjectNode render(IngestService.Outcome outcome) {
    ObjectNode body = Json.object();
    body.put("failedEntryCount", outcome.failedCount());
    ArrayNode results = body.putArray("entries");
    for (EntryResult result : outcome.results()) {
      ObjectNode node = results.addObject();
      switch (result) {
        case EntryResult.Stored stored -> node.put("eventId", stored.eventId());
        case EntryResult.Failed failed -> {
          node.put("errorCode", failed.code());
          node.put("errorMessage", failed.message());
          if (!failed.field().isEmpty()) {
            node.put("field", failed.field());
          }
        }
      }
    }
    return body;
  }

  private void search(ServerRequest req, ServerResponse res) {
    Map<String, String> parameters = new HashMap<>();
    for (String name : req.query().names()) {
      parameters.put(name, req.query().first(name).orElse(""));
    }
    EventQuery query = EventQuery.parse(parameters, clock.instant());
    var bus =
        buses
            .byName(query.bus())
            .orElseThrow(
                () ->
                    new ApiError(
                        400, "InvalidField", "bus '" + query.bus() + "' does not exist", "bus"));
    int partitions = topics.partitions(Topics.busTopic(bus.name())).orElse(0);
    EventSearch.Result page =
        search.search(
            bus.name(),
            bus.ordinal(),
            partitions,
            query.from(),
            query.to(),
            query::accepts,
            query.limit(),
            query.after(),
            SEARCH_SCAN_BUDGET);
    ObjectNode body = Json.object();
    ArrayNode events = body.putArray("events");
    for (PublishedEvent event : page.events()) {
      events.add(EventCodec.toJson(event));
    }
    if (page.next().isPresent()) {
      body.put("next", EventQuery.cursor(page.next().get()));
    } else {
      body.putNull("next");
    }
    Http.send(res, 200, body);
  }

  private void get(ServerRequest req, ServerResponse res) {
    String text = req.path().pathParameters().get("id");
    EventId id =
        EventId.parse(text)
            .orElseThrow(
                () ->
                    new ApiError(
                        400,
                        "InvalidField",
                        "'" + text + "' is not an event id (26 characters of Crockford base32)",
                        "id"));
    ApiError notFound = ApiError.notFound("EventNotFound", "no event with id " + text);
    var bus = buses.byOrdinal(id.busOrdinal()).orElseThrow(() -> notFound);
    int partitions = topics.partitions(Topics.busTopic(bus.name())).orElseThrow(() -> notFound);
    var event = reader.read(id, bus.name(), partitions).orElseThrow(() -> notFound);
    ObjectNode body = Json.object();
    body.set("event", EventCodec.toJson(event));
    ArrayNode deliveries = body.putArray("deliveries");
    Map<String, JournalEntry> journal = new HashMap<>();
    store
        .routing(id.toString())
        .ifPresent(
            routing -> {
              store.journalOfEvent(id.toString()).forEach(e -> journal.put(e.deliveryKey(), e));
              routing
                  .deliveries()
                  .forEach(
                      d ->
                          deliveries.add(
                              delivery(d, Optional.ofNullable(journal.get(d.deliveryKey())))));
            });
    replays.ifPresent(r -> addReplayed(id.toString(), r, journal, deliveries));
    Http.send(res, 200, body);
  }

  /** The deliveries replays made of the event, each naming its replay, after the originals. */
  private void addReplayed(
      String eventId,
      ReplayStore replayStore,
      Map<String, JournalEntry> journal,
      ArrayNode deliveries) {
    var replayed = replayStore.replayDeliveriesOfEvent(eventId);
    if (replayed.isEmpty()) {
      return;
    }
    if (journal.isEmpty()) {
      store.journalOfEvent(eventId).forEach(e -> journal.put(e.deliveryKey(), e));
    }
    for (ReplayDelivery d : replayed) {
      ObjectNode node =
          delivery(
              new RoutedDelivery(
                  d.rule(),
                  d.target(),
                  d.deliveryKey(),
                  d.errorCode().isPresent()
                      ? dev.herald.store.DeliveryStatus.DEAD_LETTERED
                      : dev.herald.store.DeliveryStatus.PENDING,
                  d.errorCode(),
                  d.errorMessage()),
              Optional.ofNullable(journal.get(d.deliveryKey())));
      node.put("replay", d.replay());
      node.put("replayedAt", d.replayedAt().toString());
      deliveries.add(node);
    }
  }

  /** One entry of an event's journey: as routed, then as the journal has it. */
  private static ObjectNode delivery(RoutedDelivery d, Optional<JournalEntry> journal) {
    ObjectNode node = Json.object();
    node.put("rule", d.rule());
    node.put("target", d.target());
    node.put("deliveryKey", d.deliveryKey());
    node.put("status", journal.map(JournalEntry::status).orElse(d.status()).text());
    node.put("attempts", journal.map(JournalEntry::attempts).orElse(0));
    Optional<String> code = journal.flatMap(JournalEntry::errorCode).or(d::errorCode);
    Optional<String> message = journal.flatMap(JournalEntry::errorMessage).or(d::errorMessage);
    code.ifPresent(
        c -> node.putObject("lastError").put("code", c).put("message", message.orElse("")));
    journal
        .flatMap(JournalEntry::lastAttemptAt)
        .ifPresent(t -> node.put("lastAttemptAt", t.toString()));
    journal
        .flatMap(JournalEntry::deliveredAt)
        .ifPresent(t -> node.put("deliveredAt", t.toString()));
    return node;
  }
}
