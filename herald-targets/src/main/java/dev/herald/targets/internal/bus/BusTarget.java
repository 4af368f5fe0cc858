package dev.herald.targets.internal.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.event.EntryErrors;
import dev.herald.core.json.Json;
import dev.herald.targets.BusPublisher;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code bus} target: re-publishes the delivered event on another bus through Herald's ingest,
 * as a new event (new id, same source, detail-type, detail, time and resources). The entry's client
 * id is the delivery key, so every attempt of one delivery stores at most one event (ingest's
 * client-id dedupe, within its window). The new event carries the delivered event's hops plus one;
 * at {@link BusPublisher#MAX_HOPS} the delivery is a {@code HopLimitExceeded} dead letter instead.
 *
 * <p>The input must be the delivered envelope: a rule-target that shapes its input makes a {@code
 * NotAnEnvelope} dead letter.
 *
 * <p>Thread-safety: immutable apart from the executor, which is thread-safe. Each publish runs on a
 * virtual thread so that the caller can give up at the delivery's deadline; a publish given up on
 * still completes, and the retry that follows finds it through the dedupe.
 */
final class BusTarget implements Target {
  private final String name;
  private final String bus;
  private final BusPublisher publisher;
  private final InstantSource clock;
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

  BusTarget(String name, String bus, BusPublisher publisher, InstantSource clock) {
    this.name = name;
    this.bus = bus;
    this.publisher = publisher;
    this.clock = clock;
  }

  @Override
  public Outcome deliver(Delivery delivery) {
    if (delivery.hops() >= BusPublisher.MAX_HOPS) {
      return hopLimitExceeded(delivery);
    }
    ObjectNode entry;
    try {
      entry = entry(delivery);
    } catch (NotAnEnvelope e) {
      return new Outcome.Permanent("NotAnEnvelope", e.getMessage());
    }
    Duration left = Duration.between(clock.instant(), delivery.deadline());
    if (left.isNegative() || left.isZero()) {
      return timeout();
    }
    Future<BusPublisher.Result> call =
        calls.submit(() -> publisher.publish(entry, delivery.hops() + 1, delivery.traceparent()));
    try {
      return outcome(call.get(left.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return timeout(); // not cancelled: it completes, and the retry is deduplicated against it
    } catch (ExecutionException e) {
      return new Outcome.Retry("PublishFailed", String.valueOf(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.Retry("Timeout", "interrupted while publishing on bus '" + bus + "'");
    }
  }

  private Outcome hopLimitExceeded(Delivery delivery) {
    return new Outcome.Permanent(
        "HopLimitExceeded",
        "event "
            + delivery.eventId()
            + " was already re-published by bus targets "
            + delivery.hops()
            + " times (the limit is "
            + BusPublisher.MAX_HOPS
            + "): target "
            + name
            + " does not publish it on bus '"
            + bus
            + "' (rule "
            + delivery.rule()
            + "); bus targets probably form a loop");
  }

  private Outcome timeout() {
    return new Outcome.Retry(
        "Timeout", "bus '" + bus + "' did not store the event within the target's timeout");
  }

  private Outcome outcome(BusPublisher.Result result) {
    return switch (result) {
      case BusPublisher.Result.Published p -> new Outcome.Delivered();
      case BusPublisher.Result.Unavailable u -> new Outcome.Retry("EngineUnavailable", u.message());
      case BusPublisher.Result.Refused r when r.code().equals(EntryErrors.UNKNOWN_BUS) ->
          new Outcome.Permanent(
              "BusNotFound",
              "bus '" + bus + "' (target " + name + ", bus.bus) does not exist: " + r.message());
      case BusPublisher.Result.Refused r ->
          new Outcome.Permanent(
              r.code(),
              "bus '"
                  + bus
                  + "' refused the event"
                  + (r.field().isEmpty() ? "" : " (field " + r.field() + ")")
                  + ": "
                  + r.message());
    };
  }

  /**
   * The publish entry for a delivered envelope: source, detail-type, detail, time and resources are
   * kept; the envelope's id, account, region and version are not (the new event gets its own id).
   */
  private ObjectNode entry(Delivery delivery) throws NotAnEnvelope {
    ObjectNode envelope = envelope(delivery);
    ObjectNode entry = Json.object();
    entry.put("bus", bus);
    entry.set("source", envelope.get("source"));
    entry.set("detailType", envelope.get("detail-type"));
    entry.set("detail", envelope.get("detail"));
    for (String field : new String[] {"time", "resources"}) {
      JsonNode value = envelope.get(field);
      if (value != null && !value.isNull()) {
        entry.set(field, value);
      }
    }
    entry.put("id", delivery.deliveryKey());
    return entry;
  }

  private ObjectNode envelope(Delivery delivery) throws NotAnEnvelope {
    JsonNode node = null;
    if (delivery.json()) {
      try {
        node = Json.MAPPER.readTree(delivery.input());
      } catch (IOException e) {
        node = null;
      }
    }
    if (node instanceof ObjectNode envelope
        && envelope.path("source").isTextual()
        && envelope.path("detail-type").isTextual()
        && envelope.path("detail").isObject()) {
      return envelope;
    }
    throw new NotAnEnvelope(
        "target "
            + name
            + " re-publishes the delivered envelope (with source, detail-type and detail), but"
            + " rule "
            + delivery.rule()
            + " gives it "
            + (delivery.json() ? "other JSON" : "plain text")
            + ": remove that rule-target's input, inputPath or inputTransformer");
  }

  @Override
  public void close() {
    calls.shutdown(); // publishes under way complete; no new ones
  }

  /** The input is not a delivered envelope. */
  private static final class NotAnEnvelope extends Exception {
    private static final long serialVersionUID = 1L;

    NotAnEnvelope(String message) {
      super(message, null, false, false);
    }
  }
}
