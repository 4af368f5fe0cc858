package dev.herald.server.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.analytics.AnalyticsRow;
import dev.herald.analytics.AnalyticsStore;
import dev.herald.api.PermanentException;
import dev.herald.core.event.EventId;
import dev.herald.core.json.Json;
import dev.herald.server.ingest.BusDirectory;
import dev.herald.store.Bus;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@link dev.herald.targets.AnalyticsSink} of this Herald: turns a delivered event into an
 * {@link AnalyticsRow} (bus and ingestion time from the event id, source, detail type and time from
 * the envelope, read back from the bus when the target's input was shaped) and appends it to the
 * {@link AnalyticsStore}, which commits it once per delivery key.
 *
 * <p>Thread-safe: immutable; the store, the bus directory and the envelope reader are thread-safe.
 */
public final class StoreAnalyticsSink implements dev.herald.targets.AnalyticsSink {
  private final AnalyticsStore store;
  private final BusDirectory buses;
  private final Function<String, Optional<String>> envelopes;
  private final InstantSource clock;

  /**
   * @param envelopes the delivered envelope of an event id, read back from its bus
   */
  public StoreAnalyticsSink(
      AnalyticsStore store,
      BusDirectory buses,
      Function<String, Optional<String>> envelopes,
      InstantSource clock) {
    this.store = store;
    this.buses = buses;
    this.envelopes = envelopes;
    this.clock = clock;
  }

  @Override
  public void prepare() {
    store.prepare();
  }

  @Override
  public boolean append(
      String deliveryKey, String eventId, Optional<ObjectNode> envelope, Instant deadline) {
    EventId id =
        EventId.parse(eventId)
            .orElseThrow(() -> new PermanentException("'" + eventId + "' is not an event id"));
    String bus =
        buses
            .byOrdinal(id.busOrdinal())
            .map(Bus::name)
            .orElseThrow(
                () ->
                    new PermanentException(
                        "the bus of event " + eventId + " no longer exists: it cannot be counted"));
    ObjectNode event = envelope.orElseGet(() -> readBack(eventId));
    AnalyticsRow row =
        new AnalyticsRow(
            deliveryKey,
            eventId,
            bus,
            event.path("source").asText(),
            event.path("detail-type").asText(),
            time(event).orElse(id.ingestedAt()),
            id.ingestedAt(),
            clock.instant(),
            event.toString());
    return store.append(row, deadline);
  }

  private ObjectNode readBack(String eventId) {
    String json =
        envelopes
            .apply(eventId)
            .orElseThrow(
                () ->
                    new PermanentException(
                        "event " + eventId + " is no longer on its bus: it cannot be counted"));
    try {
      JsonNode node = Json.MAPPER.readTree(json);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // reported below
    }
    throw new PermanentException("the envelope of event " + eventId + " is not a JSON object");
  }

  private static Optional<Instant> time(ObjectNode event) {
    try {
      return Optional.of(Instant.parse(event.path("time").asText()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
