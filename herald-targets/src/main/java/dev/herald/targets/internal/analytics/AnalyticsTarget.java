package dev.herald.targets.internal.analytics;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.PermanentException;
import dev.herald.api.UnstorableException;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.json.Json;
import dev.herald.targets.AnalyticsSink;
import java.io.IOException;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The {@code analytics} target: hands each delivered event, with its delivery key, to the {@link
 * AnalyticsSink} and answers {@code Delivered} once the sink says it is durable. A sink failure is
 * a retry ({@code Timeout} past the deadline, else {@code AnalyticsUnavailable}); an event that can
 * never be stored is a dead letter. Retries and repeated deliveries carry the same key, which the
 * sink counts once.
 *
 * <p>When the input is the delivered envelope it goes to the sink as is; a shaped input (input,
 * inputPath or inputTransformer) does not say which event it was, so the sink reads the event back.
 *
 * <p>Thread-safety: immutable; the sink is thread-safe.
 */
final class AnalyticsTarget implements Target {
  private final AnalyticsSink sink;
  private final InstantSource clock;

  AnalyticsTarget(AnalyticsSink sink, InstantSource clock) {
    this.sink = sink;
    this.clock = clock;
  }

  @Override
  public Outcome deliver(Delivery delivery) {
    try {
      sink.append(
          delivery.deliveryKey(), delivery.eventId(), envelope(delivery), delivery.deadline());
      return new Outcome.Delivered();
    } catch (UnstorableException e) {
      return new Outcome.Permanent(UnstorableException.CODE, e.getMessage());
    } catch (PermanentException e) {
      return new Outcome.Permanent("PermanentFailure", e.getMessage());
    } catch (RuntimeException e) {
      boolean late = !clock.instant().isBefore(delivery.deadline());
      return new Outcome.Retry(late ? "Timeout" : "AnalyticsUnavailable", e.getMessage());
    }
  }

  /** The input when it is this event's delivered envelope. */
  static Optional<ObjectNode> envelope(Delivery delivery) {
    if (!delivery.json()) {
      return Optional.empty();
    }
    JsonNode input;
    try {
      input = Json.MAPPER.readTree(new String(delivery.input(), UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
    boolean isEnvelope =
        input instanceof ObjectNode
            && delivery.eventId().equals(input.path("id").asText(null))
            && input.path("source").isTextual()
            && input.path("detail-type").isTextual()
            && input.path("time").isTextual()
            && input.has("detail");
    return isEnvelope ? Optional.of((ObjectNode) input) : Optional.empty();
  }

  @Override
  public void close() {
    // the sink belongs to Herald
  }
}
