package dev.herald.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A small Java client of Herald's HTTP API. Thread-safe: the underlying {@link HttpClient} is
 * shared and immutable.
 */
public final class HeraldClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;

  private HeraldClient(URI base, Duration timeout) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public static HeraldClient create(URI base) {
    return new HeraldClient(base, Duration.ofSeconds(30));
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

  private Optional<JsonNode> send(String method, String path, String json) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    if (json == null) {
      request.GET();
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
    if (response.statusCode() == 404 && "GET".equals(method)) {
      return Optional.empty();
    }
    if (response.statusCode() >= 300) {
      JsonNode error = answer.path("error");
      throw new HeraldClientException(
          response.statusCode(),
          error.path("code").asText("HttpStatus" + response.statusCode()),
          error.path("message").asText(response.body()),
          text(error, "field"));
    }
    return Optional.of(answer);
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
