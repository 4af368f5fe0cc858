package dev.herald.server.delivery;

import dev.herald.core.event.EventId;
import dev.herald.core.routing.Envelope;
import dev.herald.engine.bus.EventReader;
import dev.herald.engine.topic.Topics;
import dev.herald.server.ingest.BusDirectory;
import java.util.Optional;

/**
 * The delivered envelope of an event, read back from its bus by id (for dead letters, whose target
 * input may be shaped). Thread-safe: the reader and directory are.
 */
public final class Envelopes {
  private final BusDirectory buses;
  private final Topics topics;
  private final EventReader reader;

  public Envelopes(BusDirectory buses, Topics topics, EventReader reader) {
    this.buses = buses;
    this.topics = topics;
    this.reader = reader;
  }

  public Optional<String> of(String eventId) {
    return EventId.parse(eventId)
        .flatMap(
            id ->
                buses
                    .byOrdinal(id.busOrdinal())
                    .flatMap(
                        bus ->
                            topics
                                .partitions(Topics.busTopic(bus.name()))
                                .flatMap(partitions -> reader.read(id, bus.name(), partitions))))
        .map(
            event ->
                Envelope.of(
                        event, Envelope.DEFAULT_ACCOUNT, Envelope.DEFAULT_REGION, Optional.empty())
                    .toString());
  }
}
