package dev.herald.server.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.EntryErrors;
import dev.herald.targets.BusPublisher;
import java.util.List;
import java.util.Optional;

/**
 * What {@code bus} targets publish through: {@link IngestService}, so that a re-published event is
 * checked, deduplicated by its entry id and stored like any other, and answered only once Kafka
 * acknowledged it. The trace continues with a new (ingest) span. Thread-safe: stateless over the
 * thread-safe ingest service.
 */
public final class IngestBusPublisher implements BusPublisher {
  private final IngestService ingest;

  public IngestBusPublisher(IngestService ingest) {
    this.ingest = ingest;
  }

  @Override
  public Result publish(ObjectNode entry, int hops, Optional<String> traceparent) {
    IngestService.Outcome outcome = ingest.publish(List.of(entry), traceparent, hops);
    return switch (outcome.results().getFirst()) {
      case EntryResult.Stored stored -> new Result.Published(stored.eventId());
      case EntryResult.Failed failed when failed.code().equals(EntryErrors.ENGINE_UNAVAILABLE) ->
          new Result.Unavailable(failed.message());
      case EntryResult.Failed failed ->
          new Result.Refused(failed.code(), failed.message(), failed.field());
    };
  }
}
