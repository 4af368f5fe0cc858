package dev.herald.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.auth.Scope;
import dev.herald.core.event.EntryErrors;
import dev.herald.core.event.EntryValidator;
import dev.herald.core.event.Names;
import dev.herald.core.json.Json;
import dev.herald.server.auth.AuthFilter;
import dev.herald.server.auth.Principal;
import dev.herald.server.ingest.BusDirectory;
import dev.herald.server.ingest.CloudEventMapping;
import dev.herald.server.ingest.CloudEventMapping.Mapped;
import dev.herald.server.ingest.CloudEventMapping.Mode;
import dev.herald.server.ingest.EntryResult;
import dev.herald.server.ingest.IngestService;
import dev.herald.server.limits.RateLimits;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/cloudevents[?bus=<bus>]}: CloudEvents 1.0 over HTTP in binary ({@code ce-*}
 * headers, the body is the data), structured ({@code application/cloudevents+json}) and batched
 * ({@code application/cloudevents-batch+json}) mode. Each event becomes a native entry ({@link
 * CloudEventMapping}) and goes through the native ingest path: the same validation, client-id
 * dedupe, {@code publish:<bus>} scope, rate limits and metrics as {@code POST /v1/events}.
 *
 * <p>Answers: a batch gets the native answer ({@code failedEntryCount}, one result per event, in
 * order; 503 only when nothing was stored). A single event (binary or structured) gets the same
 * answer with one entry when stored, else a request-level error: 400 naming the attribute, 413
 * {@code EntryTooLarge}, 503 {@code EngineUnavailable} with {@code Retry-After}, so that
 * CloudEvents SDKs, which only look at the status, see the failure. Stateless; thread-safe.
 */
public final class CloudEventsApi {
  private static final Logger LOG = LoggerFactory.getLogger(CloudEventsApi.class);
  private static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");
  private static final String UNKNOWN_BUS_TAG = "-";

  private final IngestService ingest;
  private final BusDirectory buses;
  private final RateLimits limits;
  private final MeterRegistry metrics;
  private final Timer latency;

  public CloudEventsApi(
      IngestService ingest, BusDirectory buses, MeterRegistry metrics, RateLimits limits) {
    this.ingest = ingest;
    this.buses = buses;
    this.limits = limits;
    this.metrics = metrics;
    // the native ingest's timer: one series for every publish request, whatever its binding
    this.latency =
        Timer.builder("herald.ingest.request.latency")
            .description("Time to answer POST /v1/events, acknowledgement included")
            .publishPercentileHistogram()
            .register(metrics);
  }

  public void register(HttpRouting.Builder routing) {
    routing.post("/v1/cloudevents", this::publish);
  }

  private void publish(ServerRequest req, ServerResponse res) {
    Timer.Sample sample = Timer.start();
    try {
      String bus = bus(req);
      Principal principal = Principal.of(req);
      if (!principal.allows(Scope.publish(bus))) {
        throw new ApiError(
            403,
            "Forbidden",
            "this API key lacks the scope '" + Scope.publish(bus) + "' needed here",
            "bus");
      }
      String type =
          req.headers()
              .contentType()
              .map(t -> t.mediaType().text())
              .orElse("")
              .toLowerCase(Locale.ROOT);
      Map<String, String> attributes = ceHeaders(req);
      if (type.equals(CloudEventMapping.STRUCTURED_TYPE)) {
        JsonNode event = Http.parse(Http.readBody(req, EventsApi.MAX_REQUEST_BYTES));
        if (event.isArray()) {
          throw ApiError.invalidRequest(
              "a structured-mode body is one CloudEvent (a JSON object); send an array as "
                  + CloudEventMapping.BATCH_TYPE,
              null);
        }
        Optional<String> trace =
            req.headers()
                .first(TRACEPARENT)
                .or(() -> Optional.ofNullable(event.path("traceparent").textValue()));
        single(
            res, principal, bus, CloudEventMapping.structured(event, bus), Mode.STRUCTURED, trace);
      } else if (type.equals(CloudEventMapping.BATCH_TYPE)) {
        batch(req, res, principal, bus);
      } else if (!attributes.isEmpty() || CloudEventMapping.isJson(type)) {
        byte[] body = Http.readBody(req, EventsApi.MAX_REQUEST_BYTES);
        if (body.length > 0 && !CloudEventMapping.isJson(type)) {
          throw unsupportedType(type);
        }
        Optional<JsonNode> data =
            body.length == 0 ? Optional.empty() : Optional.of(Http.parse(body));
        single(
            res,
            principal,
            bus,
            CloudEventMapping.binary(attributes, data, bus),
            Mode.BINARY,
            req.headers().first(TRACEPARENT));
      } else {
        throw unsupportedType(type);
      }
    } catch (ApiError e) {
      LOG.info("CloudEvents request refused: {} {} ({})", e.status(), e.code(), e.getMessage());
      throw e;
    } finally {
      sample.stop(latency);
    }
  }

  /** The bus of every event of the request: {@code ?bus=}, else the default bus. */
  private static String bus(ServerRequest req) {
    String bus = req.query().first("bus").orElse(EntryValidator.DEFAULT_BUS);
    if (!Names.isValid(bus)) {
      throw new ApiError(
          400, EntryErrors.INVALID_FIELD, "bus must be a name of " + Names.describe(), "bus");
    }
    return bus;
  }

  /** The {@code ce-*} headers: attribute name (lower case) to value as sent. */
  private static Map<String, String> ceHeaders(ServerRequest req) {
    Map<String, String> attributes = new TreeMap<>();
    for (Header header : req.headers()) {
      String name = header.headerName().lowerCase();
      if (name.startsWith(CloudEventMapping.HEADER_PREFIX)
          && name.length() > CloudEventMapping.HEADER_PREFIX.length()) {
        attributes.put(name.substring(CloudEventMapping.HEADER_PREFIX.length()), header.values());
      }
    }
    return attributes;
  }

  private static ApiError unsupportedType(String type) {
    return new ApiError(
        415,
        "UnsupportedMediaType",
        "Content-Type must be "
            + CloudEventMapping.STRUCTURED_TYPE
            + " (structured), "
            + CloudEventMapping.BATCH_TYPE
            + " (batch) or, in binary mode (ce-* headers), the data's JSON type; got '"
            + (type.isEmpty() ? "none" : type)
            + "'",
        "Content-Type");
  }

  private void single(
      ServerResponse res,
      Principal principal,
      String bus,
      Mapped mapped,
      Mode mode,
      Optional<String> trace) {
    admit(res, principal, bus, 1);
    switch (mapped) {
      case Mapped.Refused refused -> {
        countRefused(bus, refused.failure());
        throw error(refused.failure());
      }
      case Mapped.Entry entry -> {
        IngestService.Outcome outcome = ingest.publish(List.of(entry.entry()), trace, 0);
        EntryResult result = outcome.results().getFirst();
        if (result instanceof EntryResult.Failed failed) {
          if (failed.code().equals(EntryErrors.ENGINE_UNAVAILABLE)) {
            res.header("Retry-After", EventsApi.RETRY_AFTER_SECONDS);
          }
          throw error(CloudEventMapping.translate(failed, mode));
        }
        Http.send(res, 200, render(outcome.results(), mode));
      }
    }
  }

  private void batch(ServerRequest req, ServerResponse res, Principal principal, String bus) {
    JsonNode body = Http.parse(Http.readBody(req, EventsApi.MAX_REQUEST_BYTES));
    if (!body.isArray()) {
      throw ApiError.invalidRequest(
          "a batch must be a JSON array of CloudEvents, not "
              + body.getNodeType().name().toLowerCase(Locale.ROOT),
          null);
    }
    if (body.isEmpty()) {
      throw ApiError.invalidRequest("a batch must hold at least one CloudEvent", null);
    }
    if (body.size() > EventsApi.MAX_ENTRIES) {
      throw new ApiError(
          413,
          "TooManyEntries",
          "the batch holds " + body.size() + " events; the limit is " + EventsApi.MAX_ENTRIES,
          null);
    }
    admit(res, principal, bus, body.size());
    List<EntryResult> results = new ArrayList<>(Collections.nCopies(body.size(), null));
    List<JsonNode> entries = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < body.size(); i++) {
      switch (CloudEventMapping.structured(body.get(i), bus)) {
        case Mapped.Refused refused -> {
          countRefused(bus, refused.failure());
          results.set(i, refused.failure());
        }
        case Mapped.Entry entry -> {
          entries.add(entry.entry());
          positions.add(i);
        }
      }
    }
    if (!entries.isEmpty()) {
      IngestService.Outcome outcome = ingest.publish(entries, req.headers().first(TRACEPARENT), 0);
      if (outcome.nothingStoredForLackOfEngine()) {
        res.header("Retry-After", EventsApi.RETRY_AFTER_SECONDS);
        throw new ApiError(
            503, "ServiceUnavailable", "the engine is unavailable; no event was stored");
      }
      for (int j = 0; j < positions.size(); j++) {
        results.set(positions.get(j), outcome.results().get(j));
      }
    }
    long failed = results.stream().filter(r -> r instanceof EntryResult.Failed).count();
    if (failed > 0) {
      LOG.info("CloudEvents batch on bus {}: {} of {} events refused", bus, failed, body.size());
    }
    Http.send(res, 200, render(results, Mode.STRUCTURED));
  }

  /** Charges the key and the bus as the native ingest does, one token per event. */
  private void admit(ServerResponse res, Principal principal, String bus, int events) {
    limits
        .admitPublish(principal.keyId(), Collections.nCopies(events, Optional.of(bus)))
        .ifPresent(refusal -> AuthFilter.refuse(res, refusal));
  }

  /**
   * Counts an event this binding refused before ingest in the native ingest's counter, so that
   * {@code herald.ingest.entries.rejected} covers every binding.
   */
  private void countRefused(String bus, EntryResult.Failed failure) {
    Counter.builder("herald.ingest.entries.rejected")
        .description("Entries not stored, by bus and entry error code")
        .tag("bus", buses.byName(bus).isPresent() ? bus : UNKNOWN_BUS_TAG)
        .tag("code", failure.code())
        .register(metrics)
        .increment();
  }

  private static ApiError error(EntryResult.Failed failed) {
    int status =
        switch (failed.code()) {
          case EntryErrors.ENTRY_TOO_LARGE -> 413;
          case EntryErrors.ENGINE_UNAVAILABLE -> 503;
          default -> 400;
        };
    return new ApiError(
        status, failed.code(), failed.message(), failed.field().isEmpty() ? null : failed.field());
  }

  /** The native publish answer, fields named as CloudEvents attributes. */
  private static ObjectNode render(List<EntryResult> results, Mode mode) {
    ObjectNode body = Json.object();
    body.put(
        "failedEntryCount", results.stream().filter(r -> r instanceof EntryResult.Failed).count());
    ArrayNode array = body.putArray("entries");
    for (EntryResult result : results) {
      ObjectNode node = array.addObject();
      switch (result) {
        case EntryResult.Stored stored -> node.put("eventId", stored.eventId());
        case EntryResult.Failed raw -> {
          EntryResult.Failed failed = CloudEventMapping.translate(raw, mode);
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
}
