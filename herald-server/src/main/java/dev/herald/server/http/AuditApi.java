package dev.herald.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.audit.AuditEntry;
import dev.herald.core.audit.AuditRecord;
import dev.herald.core.audit.Verification;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.Page;
import dev.herald.core.event.EventTimes;
import dev.herald.core.json.Json;
import dev.herald.server.audit.AuditVerifier;
import dev.herald.store.AuditFilter;
import dev.herald.store.AuditStore;
import dev.herald.store.StoreUnavailableException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The audit log (API.md): {@code GET /v1/audit} lists entries by seq, filtered by append time
 * ({@code from} inclusive, {@code to} exclusive), source and detail type; {@code GET
 * /v1/audit/verify} recomputes the chain. A store that cannot answer is a 503 with {@code
 * Retry-After}. Stateless; thread-safe.
 */
public final class AuditApi {
  private final AuditStore store;
  private final AuditVerifier verifier;

  public AuditApi(AuditStore store, AuditVerifier verifier) {
    this.store = store;
    this.verifier = verifier;
  }

  public void register(HttpRouting.Builder routing) {
    routing.get("/v1/audit", storeCall(this::list));
    routing.get("/v1/audit/verify", storeCall(this::verify));
  }

  private void list(ServerRequest req, ServerResponse res) {
    AuditFilter filter = filter(req);
    int limit = Page.limit(query(req, "limit"));
    OptionalLong after = query(req, "after").map(AuditApi::afterSeq).orElse(OptionalLong.empty());
    Page<AuditEntry> page = store.auditEntries(filter, limit, after);
    ObjectNode body = Json.object();
    ArrayNode entries = body.putArray("entries");
    page.items().forEach(entry -> entries.add(json(entry)));
    if (page.next().isPresent()) {
      body.put("next", page.next().get());
    } else {
      body.putNull("next");
    }
    Http.send(res, 200, body);
  }

  private void verify(ServerRequest req, ServerResponse res) {
    Http.send(res, 200, json(verifier.verify()));
  }

  /** The filter of a list request; every bad parameter is a 400 naming it. */
  static AuditFilter filter(ServerRequest req) {
    Optional<Instant> from = query(req, "from").map(t -> time("from", t));
    Optional<Instant> to = query(req, "to").map(t -> time("to", t));
    if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
      throw new ConfigException.Invalid(
          "to", "to (" + to.get() + ") must be after from (" + from.get() + ")");
    }
    return new AuditFilter(from, to, text(req, "source"), text(req, "detailType"));
  }

  private static Optional<String> query(ServerRequest req, String name) {
    return req.query().first(name).asOptional();
  }

  private static Optional<String> text(ServerRequest req, String name) {
    Optional<String> value = query(req, name);
    if (value.isPresent() && value.get().isEmpty()) {
      throw new ConfigException.Invalid(name, name + " must not be empty when given");
    }
    return value;
  }

  private static Instant time(String field, String text) {
    try {
      Instant time = Instant.parse(text);
      if (!EventTimes.inRange(time)) {
        throw new ConfigException.Invalid(
            field,
            field + " must be within " + EventTimes.describeRange() + ", got '" + text + "'");
      }
      return time;
    } catch (DateTimeException e) {
      throw new ConfigException.Invalid(
          field,
          field + " must be an RFC 3339 time such as 2026-11-26T10:00:00Z, got '" + text + "'");
    }
  }

  private static OptionalLong afterSeq(String cursor) {
    String seq = Page.nameAfter(cursor);
    try {
      long value = Long.parseLong(seq);
      if (value >= 0) {
        return OptionalLong.of(value);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException.Invalid("after", "after is not a cursor returned by this API");
  }

  /** An entry as the API shows it; {@code event} is the stored envelope, parsed when it is JSON. */
  static ObjectNode json(AuditEntry entry) {
    AuditRecord r = entry.record();
    ObjectNode node = Json.object();
    node.put("seq", entry.seq());
    node.put("deliveryKey", r.deliveryKey());
    node.put("eventId", r.eventId());
    node.put("bus", r.bus().orElse(null));
    node.put("source", r.source().orElse(null));
    node.put("detailType", r.detailType().orElse(null));
    node.put("time", r.eventTime().map(Instant::toString).orElse(null));
    node.put("recordedAt", entry.recordedAt().toString());
    JsonNode event = parse(r.envelope());
    if (event == null || event.isMissingNode()) {
      node.put("event", r.envelope()); // plain text, or a stored envelope that is not JSON
    } else {
      node.set("event", event);
    }
    node.put("eventHash", entry.eventHash());
    node.put("prevHash", entry.prevHash());
    node.put("hash", entry.hash());
    return node;
  }

  private static JsonNode parse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  static ObjectNode json(Verification result) {
    ObjectNode node = Json.object();
    node.put("valid", result.valid());
    node.put("entries", result.entries());
    if (result.valid()) {
      node.put("head", result.head());
    }
    result
        .firstBroken()
        .ifPresent(
            broken -> {
              ObjectNode first = node.putObject("firstBroken");
              first.put("seq", broken.seq());
              first.put("reason", broken.reason().text());
              first.put("message", broken.message());
              broken.entry().ifPresent(entry -> first.set("entry", json(entry)));
            });
    return node;
  }

  /** A handler whose store failure is a 503 with {@code Retry-After}, as API.md asks. */
  private static Handler storeCall(Handler handler) {
    return (req, res) -> {
      try {
        handler.handle(req, res);
      } catch (StoreUnavailableException e) {
        res.header(HeaderNames.RETRY_AFTER, "5");
        Http.send(
            res,
            503,
            new ApiError(503, "StoreUnavailable", "the audit log cannot be read: " + e.getMessage())
                .toJson());
      }
    };
  }
}
