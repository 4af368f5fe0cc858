package dev.herald.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.herald.core.config.Body;
import dev.herald.core.config.ConfigException;
import dev.herald.core.json.Json;
import dev.herald.server.queue.Queues;
import dev.herald.store.QueueDepth;
import dev.herald.store.StoreUnavailableException;
import dev.herald.targets.queue.QueueSettings;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The queues of queue targets (API.md): receive (long poll), ack, nack, change visibility, and the
 * depth of a queue. A target that does not exist or is not a queue is a 404 {@code QueueNotFound};
 * request errors name the field; a store that cannot answer is a 503 with {@code Retry-After}.
 * Stateless; thread-safe.
 */
public final class QueueApi {
  public static final int MAX_MESSAGES = 100;
  public static final int MAX_WAIT_SECONDS = 20;
  static final int DEFAULT_MAX = 10;
  static final int MAX_HANDLES = 100;
  static final int MAX_HANDLE_LENGTH = 1024;
  static final long MAX_BODY_BYTES = 1024 * 1024;

  private final Queues queues;

  public QueueApi(Queues queues) {
    this.queues = queues;
  }

  public void register(HttpRouting.Builder routing) {
    routing.get("/v1/queues/{target}", guarded(this::depth));
    routing.post("/v1/queues/{target}/receive", guarded(this::receive));
    routing.post("/v1/queues/{target}/ack", guarded(this::ack));
    routing.post("/v1/queues/{target}/nack", guarded(this::nack));
    routing.post("/v1/queues/{target}/visibility", guarded(this::visibility));
  }

  private void depth(ServerRequest req, ServerResponse res) {
    Queues.Queue queue = queue(req);
    QueueDepth depth = queues.depth(queue);
    ObjectNode body = Json.object();
    body.put("queue", queue.name());
    body.put("visible", depth.visible());
    body.put("inFlight", depth.inFlight());
    body.put("delayed", depth.delayed());
    body.put("visibilitySeconds", queue.visibility().toSeconds());
    body.put("maxReceives", queue.maxReceives());
    Http.send(res, 200, body);
  }

  private void receive(ServerRequest req, ServerResponse res) {
    Queues.Queue queue = queue(req);
    Body body = body(req, true);
    int max = (int) body.number("max", DEFAULT_MAX, 1, MAX_MESSAGES);
    long wait = body.number("waitSeconds", 0, 0, MAX_WAIT_SECONDS);
    Optional<Duration> visibility =
        body.node("visibilitySeconds").isEmpty()
            ? Optional.empty()
            : Optional.of(seconds(body, "visibilitySeconds", 1));
    body.finish();
    ObjectNode answer = Json.object();
    ArrayNode messages = answer.putArray("messages");
    for (Queues.Message m : queues.receive(queue, max, Duration.ofSeconds(wait), visibility)) {
      messages.add(json(m));
    }
    Http.send(res, 200, answer);
  }

  private void ack(ServerRequest req, ServerResponse res) {
    Queues.Queue queue = queue(req);
    Body body = body(req, false);
    List<String> handles = handles(body);
    body.finish();
    Http.send(res, 200, settled("acked", queues.ack(queue, handles)));
  }

  private void nack(ServerRequest req, ServerResponse res) {
    Queues.Queue queue = queue(req);
    Body body = body(req, false);
    List<String> handles = handles(body);
    Duration delay =
        body.node("delaySeconds").isEmpty() ? Duration.ZERO : seconds(body, "delaySeconds", 0);
    body.finish();
    Http.send(res, 200, settled("nacked", queues.nack(queue, handles, delay)));
  }

  private void visibility(ServerRequest req, ServerResponse res) {
    Queues.Queue queue = queue(req);
    Body body = body(req, false);
    String handle = body.requiredText("receiptHandle", MAX_HANDLE_LENGTH);
    if (body.node("visibilitySeconds").isEmpty()) {
      throw body.invalid("visibilitySeconds", "is required");
    }
    Duration visibility = seconds(body, "visibilitySeconds", 0);
    body.finish();
    Optional<String> failure = queues.changeVisibility(queue, handle, visibility);
    if (failure.isPresent()) {
      throw new ApiError(400, failure.get(), handleProblem(failure.get()), "receiptHandle");
    }
    Http.send(
        res,
        200,
        Json.object()
            .put("receiptHandle", handle)
            .put("visibilitySeconds", visibility.toSeconds()));
  }

  private Queues.Queue queue(ServerRequest req) {
    return queues.require(req.path().pathParameters().get("target"));
  }

  /** The JSON object of the body; an empty body is {@code {}} where {@code emptyAllowed}. */
  private static Body body(ServerRequest req, boolean emptyAllowed) {
    byte[] bytes = Http.readBody(req, MAX_BODY_BYTES);
    if (bytes.length == 0 && emptyAllowed) {
      return Body.of(Json.object(), "");
    }
    Http.requireJson(req);
    return Body.of(Http.parse(bytes), "");
  }

  private static Duration seconds(Body body, String field, long min) {
    return Duration.ofSeconds(body.number(field, min, min, QueueSettings.MAX_VISIBILITY_SECONDS));
  }

  /** {@code receiptHandles}: 1 to 100 non-empty strings; errors name the element. */
  private static List<String> handles(Body body) {
    JsonNode node =
        body.node("receiptHandles")
            .orElseThrow(() -> body.invalid("receiptHandles", "is required"));
    if (!node.isArray() || node.isEmpty() || node.size() > MAX_HANDLES) {
      throw body.invalid(
          "receiptHandles", "must be an array of 1 to " + MAX_HANDLES + " receipt handles");
    }
    List<String> handles = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode handle = node.get(i);
      if (!handle.isTextual()
          || handle.asText().isEmpty()
          || handle.asText().length() > MAX_HANDLE_LENGTH) {
        String field = "receiptHandles[" + i + "]";
        throw new ConfigException.Invalid(field, field + " must be a receipt handle (a string)");
      }
      handles.add(handle.asText());
    }
    return handles;
  }

  private static ObjectNode json(Queues.Message m) {
    ObjectNode node = Json.object();
    node.put("messageId", m.messageId());
    node.put("receiptHandle", m.receiptHandle());
    node.put("receiveCount", m.receiveCount());
    node.put("deliveryKey", m.deliveryKey());
    node.put("eventId", m.eventId());
    node.put("rule", m.rule());
    node.put("enqueuedAt", m.enqueuedAt().toString());
    if (m.json() && isJson(m.body())) {
      // written as it is stored: checked by a streaming parse, with no tree built and written again
      node.putRawValue("event", new RawValue(m.body()));
    } else {
      node.put("event", m.body()); // stored as JSON by the delivery engine; as text if it is not
    }
    return node;
  }

  /** Whether {@code text} is one JSON value, and nothing after it. */
  private static boolean isJson(String text) {
    try (JsonParser parser = Json.MAPPER.createParser(text)) {
      if (parser.nextToken() == null) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  private static ObjectNode settled(String countName, Queues.Settled settled) {
    ObjectNode node = Json.object();
    node.put(countName, settled.count());
    ArrayNode failed = node.putArray("failed");
    for (Queues.Failure f : settled.failed()) {
      failed.addObject().put("receiptHandle", f.receiptHandle()).put("code", f.code());
    }
    return node;
  }

  private static String handleProblem(String code) {
    return code.equals(Queues.INVALID_RECEIPT_HANDLE)
        ? "not a receipt handle of this queue"
        : "the receipt handle's lease is over: the message was received again, acked, released or"
            + " its visibility timeout passed";
  }

  /** A handler that answers 503 with Retry-After when the store cannot answer now. */
  private static Handler guarded(Handler handler) {
    return (req, res) -> {
      try {
        handler.handle(req, res);
      } catch (StoreUnavailableException e) {
        res.header(HeaderNames.RETRY_AFTER, "1");
        Http.send(
            res,
            503,
            new ApiError(503, "StoreUnavailable", "the state store cannot answer now").toJson());
      }
    };
  }
}
