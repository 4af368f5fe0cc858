package dev.herald.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A small Java client of Herald's HTTP API. Thread-safe: the underlying {@link HttpClient} is
 * shared and immutable. Groups of calls on one kind of object live in classes of their own in this
 * package, reached through an accessor here (e.g. {@code client.replays()}), and send through
 * {@link #call} and {@link #send}.
 */
public final class HeraldClient {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** The most ids one redrive request may carry (API.md). */
  private static final int ID_BATCH = 1000;

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;
  private final Optional<String> key;

  private HeraldClient(URI base, Duration timeout, Optional<String> key, HttpClient http) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
    this.timeout = timeout;
    this.key = key;
    this.http = http;
  }

  private HeraldClient(URI base, Duration timeout) {
    this(
        base,
        timeout,
        Optional.empty(),
        HttpClient.newBuilder().connectTimeout(DEFAULT_CONNECT_TIMEOUT).build());
  }

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** A builder: {@code HeraldClient.builder().endpoint(uri).key(k).timeout(d).build()}. */
  public static HeraldClientBuilder builder() {
    return new HeraldClientBuilder();
  }

  static HeraldClient create(
      URI base, Duration timeout, Duration connectTimeout, Optional<String> key) {
    return new HeraldClient(
        base, timeout, key, HttpClient.newBuilder().connectTimeout(connectTimeout).build());
  }

  /**
   * A batching publisher on this client: entries are sent in batches (by size and linger), retried
   * on 503, 429 and connection errors without duplicates, each with its own future. Close it to
   * flush.
   */
  public Publisher publisher(PublisherOptions options) {
    return Publisher.start(this::publish, options);
  }

  /** The queues of queue targets: receive, ack, nack, change visibility, depth. */
  public Queues queues() {
    return new Queues(this);
  }

  /**
   * This client sending the API key {@code <id>.<secret>} with every request ({@code Authorization:
   * Bearer}); a blank key sends none.
   */
  public HeraldClient withKey(String apiKey) {
    Optional<String> k = Optional.ofNullable(apiKey).map(String::trim).filter(t -> !t.isEmpty());
    return new HeraldClient(base, timeout, k, http);
  }

  /**
   * {@code POST /v1/keys}: creates an API key; the answer's {@code key} holds its secret, shown
   * only this once.
   */
  public JsonNode createKey(String name, List<String> scopes) {
    ObjectNode body = MAPPER.createObjectNode().put("name", name);
    ArrayNode array = body.putArray("scopes");
    scopes.forEach(array::add);
    return call("POST", "v1/keys", body.toString());
  }

  /** Configuration as code and every bus, rule, target and key one by one. */
  public ConfigCalls config() {
    return new ConfigCalls(this);
  }

  /** {@code GET /v1/keys}: every API key, without secrets. */
  public List<JsonNode> keys() {
    List<JsonNode> keys = new ArrayList<>();
    call("GET", "v1/keys", null).path("keys").forEach(keys::add);
    return keys;
  }

  /** {@code PUT /v1/keys/{id}}: stores a key whose secret the caller holds. */
  public JsonNode importKey(String id, String name, List<String> scopes, String secret) {
    ObjectNode body = MAPPER.createObjectNode().put("name", name);
    ArrayNode array = body.putArray("scopes");
    scopes.forEach(array::add);
    body.put("secret", secret);
    return call("PUT", "v1/keys/" + encode(id), body.toString());
  }

  /**
   * {@code DELETE /v1/keys/{id}}: revokes a key on every instance.
   *
   * @throws HeraldClientException {@code KeyNotFound} (404), {@code LastAdminKey} (409)
   */
  public void revokeKey(String id) {
    call("DELETE", "v1/keys/" + encode(id), null);
  }

  public static HeraldClient create(URI base) {
    return new HeraldClient(base, DEFAULT_TIMEOUT);
  }

  /** A client whose requests may each take up to {@code timeout} (e.g. verifying a long log). */
  public static HeraldClient create(URI base, Duration timeout) {
    return new HeraldClient(base, timeout);
  }

  /** Publishes entries; per-entry failures are in the result, request failures are thrown. */
  public PublishResult publish(List<PublishEntry> entries) {
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode array = body.putArray("entries");
    for (PublishEntry e : entries) {
      ObjectNode node = array.addObject();
      putIfSet(node, "bus", e.bus());
      node.put("source", e.source());
      node.put("detailType", e.detailType());
      node.set("detail", parseDetail(e.detailJson()));
      putIfSet(node, "orderingKey", e.orderingKey());
      putIfSet(node, "id", e.id());
      putIfSet(node, "time", e.time());
    }
    JsonNode answer = send("POST", "v1/events", body.toString()).orElseThrow();
    List<PublishResult.Entry> results = new ArrayList<>();
    for (JsonNode r : answer.path("entries")) {
      results.add(
          new PublishResult.Entry(
              text(r, "eventId"), text(r, "errorCode"), text(r, "errorMessage"), text(r, "field")));
    }
    return new PublishResult(answer.path("failedEntryCount").asInt(), results);
  }

  /** {@code GET /v1/events/{id}}: the event and its deliveries, or empty when unknown. */
  public Optional<JsonNode> event(String id) {
    return send("GET", "v1/events/" + id, null);
  }

  /**
   * {@code GET /v1/targets/{target}/dlq}: one page of a target's dead letters, oldest first.
   *
   * @param limit the page size, 1 to 1000
   * @param after the {@code next} cursor of the previous page, or empty for the first page
   * @throws HeraldClientException {@code TargetNotFound} (404) for an unknown target
   */
  public DeadLetterPage deadLetters(String target, int limit, Optional<String> after) {
    String path = dlqPath(target) + "?limit=" + limit;
    if (after.isPresent()) {
      path += "&after=" + encode(after.get());
    }
    JsonNode answer = call("GET", path, null);
    List<JsonNode> entries = new ArrayList<>();
    answer.path("entries").forEach(entries::add);
    return new DeadLetterPage(entries, Optional.ofNullable(text(answer, "next")));
  }

  /**
   * {@code GET /v1/targets/{target}/dlq/{id}}: one dead letter.
   *
   * @throws HeraldClientException {@code TargetNotFound} or {@code DeadLetterNotFound} (404)
   */
  public JsonNode deadLetter(String target, String id) {
    return call("GET", dlqPath(target) + "/" + encode(id), null);
  }

  /**
   * Redrives the given dead letters of a target (sent in batches of {@value #ID_BATCH}); returns
   * how many were redriven. Ids the target does not hold are not counted.
   */
  public int redrive(String target, List<String> ids) {
    int total = 0;
    for (int from = 0; from < ids.size(); from += ID_BATCH) {
      ObjectNode body = MAPPER.createObjectNode();
      ArrayNode array = body.putArray("ids");
      ids.subList(from, Math.min(ids.size(), from + ID_BATCH)).forEach(array::add);
      total += call("POST", dlqPath(target) + "/redrive", body.toString()).path("redriven").asInt();
    }
    return total;
  }

  /**
   * Redrives up to {@value #ID_BATCH} given dead letters in one request and answers the API's
   * object: {@code redriven}, and {@code failed}, one {@code {id, code, message}} per letter not
   * redriven (already redriven or purged: {@code DeadLetterNotFound}; shaping still failing).
   */
  public JsonNode redriveBatch(String target, List<String> ids) {
    if (ids.size() > ID_BATCH) {
      throw new IllegalArgumentException("at most " + ID_BATCH + " ids per redrive request");
    }
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode array = body.putArray("ids");
    ids.forEach(array::add);
    return call("POST", dlqPath(target) + "/redrive", body.toString());
  }

  /** How many dead letters a target holds now ({@code total} of the dead-letter list). */
  public long deadLetterTotal(String target) {
    return call("GET", dlqPath(target) + "?limit=1", null).path("total").asLong();
  }

  /**
   * Follows the live tail of a bus ({@code GET /v1/buses/{bus}/tail}, server-sent events): calls
   * {@code onEvent} with each event's data (the delivered envelope as JSON text) until the server
   * ends the stream or the thread is interrupted. The key travels in the Authorization header.
   *
   * @param pattern an EventBridge pattern (JSON text) the events must match, or empty for all
   * @param onReady called once the server has started the tail
   */
  public void tail(
      String bus,
      Optional<String> pattern,
      Runnable onReady,
      java.util.function.Consumer<String> onEvent) {
    String path = "v1/buses/" + encode(bus) + "/tail";
    if (pattern.isPresent()) {
      path += "?pattern=" + encode(pattern.get());
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/event-stream").GET();
    key.ifPresent(k -> request.header("Authorization", "Bearer " + k));
    HttpResponse<java.util.stream.Stream<String>> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      throw new HeraldClientException(
          0, "ConnectionFailed", "cannot reach Herald at " + base + ": " + e, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try (java.util.stream.Stream<String> lines = response.body()) {
      if (response.statusCode() >= 300) {
        String text = String.join("\n", lines.toList());
        JsonNode error;
        try {
          error = MAPPER.readTree(text).path("error");
        } catch (IOException e) {
          error = MAPPER.createObjectNode();
        }
        throw new HeraldClientException(
            response.statusCode(),
            error.path("code").asText("HttpStatus" + response.statusCode()),
            error.path("message").asText(text),
            text(error, "field"));
      }
      String type = "message";
      for (java.util.Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          if (type.equals("ready")) {
            onReady.run();
          } else if (type.equals("event")) {
            onEvent.accept(line.substring(6));
          }
        } else if (line.isEmpty()) {
          type = "message";
        }
      }
    }
  }

  /** Redrives every dead letter of a target; returns how many were redriven. */
  public int redriveAll(String target) {
    ObjectNode body = MAPPER.createObjectNode().put("all", true);
    return call("POST", dlqPath(target) + "/redrive", body.toString()).path("redriven").asInt();
  }

  /**
   * Purges the given dead letters of a target, one {@code DELETE} each; returns how many were
   * purged. Ids the target does not hold ({@code DeadLetterNotFound}) are not counted, as with
   * {@link #redrive}; any other error, such as {@code TargetNotFound}, is thrown.
   */
  public int purge(String target, List<String> ids) {
    int total = 0;
    for (String id : ids) {
      try {
        total += call("DELETE", dlqPath(target) + "/" + encode(id), null).path("purged").asInt();
      } catch (HeraldClientException e) {
        if (e.status() != 404 || !"DeadLetterNotFound".equals(e.code())) {
          throw e;
        }
      }
    }
    return total;
  }

  /** Purges every dead letter of a target; returns how many were purged. */
  public int purgeAll(String target) {
    return call("DELETE", dlqPath(target) + "?all=true", null).path("purged").asInt();
  }

  /**
   * {@code GET /v1/targets/{target}}: the stored target with its live {@code state}.
   *
   * @throws HeraldClientException {@code TargetNotFound} (404) for an unknown target
   */
  public JsonNode target(String target) {
    return call("GET", "v1/targets/" + encode(target), null);
  }

  /**
   * {@code POST /v1/targets/{target}/resume}: re-enables a target disabled by a 410 answer or by
   * {@code "enabled": false}; returns the stored target.
   */
  public JsonNode resumeTarget(String target) {
    return call("POST", "v1/targets/" + encode(target) + "/resume", "{}");
  }

  /**
   * {@code GET /v1/audit}: one page of the audit log, by seq.
   *
   * @param limit the page size, 1 to 1000
   * @param after the {@code next} cursor of the previous page, or empty for the first page
   * @throws HeraldClientException {@code InvalidField} (400) naming a bad parameter
   */
  public AuditPage audit(AuditQuery query, int limit, Optional<String> after) {
    StringBuilder path = new StringBuilder("v1/audit?limit=").append(limit);
    query.from().ifPresent(v -> path.append("&from=").append(encode(v)));
    query.to().ifPresent(v -> path.append("&to=").append(encode(v)));
    query.source().ifPresent(v -> path.append("&source=").append(encode(v)));
    query.detailType().ifPresent(v -> path.append("&detailType=").append(encode(v)));
    after.ifPresent(v -> path.append("&after=").append(encode(v)));
    JsonNode answer = call("GET", path.toString(), null);
    List<JsonNode> entries = new ArrayList<>();
    answer.path("entries").forEach(entries::add);
    return new AuditPage(entries, Optional.ofNullable(text(answer, "next")));
  }

  /**
   * {@code GET /v1/audit/verify}: {@code {"valid", "entries", "head"}}, or {@code {"valid": false,
   * "entries", "firstBroken": {"seq", "reason", "message", "entry"}}}.
   */
  public JsonNode verifyAudit() {
    return call("GET", "v1/audit/verify", null);
  }

  /**
   * {@code GET /v1/analytics/counts}: event counts per key and interval ({@code {"groupBy",
   * "interval", "from", "to", "series": [{"key", "total", "points": [{"t", "count"}]}]}}).
   *
   * @param parameters query parameters ({@code bus}, {@code groupBy}, {@code interval}, {@code
   *     from}, {@code to}, {@code top}); those left out take Herald's defaults
   * @throws HeraldClientException {@code InvalidField} (400) naming the parameter at fault
   */
  public JsonNode analyticsCounts(Map<String, String> parameters) {
    StringBuilder path = new StringBuilder("v1/analytics/counts");
    char separator = '?';
    for (var parameter : new TreeMap<>(parameters).entrySet()) {
      path.append(separator)
          .append(encode(parameter.getKey()))
          .append('=')
          .append(encode(parameter.getValue()));
      separator = '&';
    }
    return call("GET", path.toString(), null);
  }

  /** Replays of the buses' archives. */
  public Replays replays() {
    return new Replays(this);
  }

  private static String dlqPath(String target) {
    return "v1/targets/" + encode(target) + "/dlq";
  }

  /** Percent-encodes one path segment or query value. */
  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Sends a request whose every error, 404 included, is thrown. */
  JsonNode call(String method, String path, String json) {
    return send(method, path, json, false).orElseThrow();
  }

  /** Sends a request; a 404 answer to a {@code GET} is empty (for lookups such as events). */
  Optional<JsonNode> send(String method, String path, String json) {
    return send(method, path, json, "GET".equals(method));
  }

  private Optional<JsonNode> send(
      String method, String path, String json, boolean notFoundIsEmpty) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    key.ifPresent(k -> request.header("Authorization", "Bearer " + k));
    if (json == null && "GET".equals(method)) {
      request.GET();
    } else if (json == null && "DELETE".equals(method)) {
      request.DELETE();
    } else if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new HeraldClientException(
          0, "ConnectionFailed", "cannot reach Herald at " + base + ": " + e, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeraldClientException(0, "Interrupted", "interrupted", null);
    }
    JsonNode answer = parse(response);
    if (response.statusCode() == 404 && notFoundIsEmpty) {
      return Optional.empty();
    }
    if (response.statusCode() >= 300) {
      JsonNode error = answer.path("error");
      Optional<Duration> retryAfter =
          response.statusCode() == 429 || response.statusCode() == 503
              ? response
                  .headers()
                  .firstValue("Retry-After")
                  .flatMap(v -> retryAfter(v, Instant.now()))
              : Optional.empty();
      throw new HeraldClientException(
          response.statusCode(),
          error.path("code").asText("HttpStatus" + response.statusCode()),
          error.path("message").asText(response.body()),
          text(error, "field"),
          retryAfter);
    }
    return Optional.of(answer);
  }

  /**
   * A {@code Retry-After} header's wait from {@code now}: delay-seconds or an HTTP date (a date
   * past is no wait); empty when it is neither.
   */
  static Optional<Duration> retryAfter(String header, Instant now) {
    String value = header.trim();
    if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
      } catch (NumberFormatException e) {
        return Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L)); // beyond any cap
      }
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static JsonNode parse(HttpResponse<String> response) {
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new HeraldClientException(
          response.statusCode(), "InvalidResponse", "not JSON: " + response.body(), null);
    }
  }

  private static JsonNode parseDetail(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("detail is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
