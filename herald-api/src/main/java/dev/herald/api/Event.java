package dev.herald.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An event as a {@link EventHandler} receives it.
 *
 * <p>{@link #input()} holds what the rule delivers: the delivered envelope (EventBridge's shape,
 * {@code {"version": "0", "id", "detail-type", "source", "account", "time", "region", "resources",
 * "detail"}}), or the input the rule shaped from it ({@code input}, {@code inputPath}, {@code
 * inputTransformer}). When it is the envelope, the other components hold its fields; when it was
 * shaped, they are empty and only {@link #id()} and {@link #input()} are known.
 *
 * @param id the event id, always present
 * @param source the envelope's {@code source}
 * @param detailType the envelope's {@code detail-type}
 * @param time the envelope's {@code time} (as the publisher gave it)
 * @param resources the envelope's {@code resources}; empty when there are none
 * @param detail the envelope's {@code detail} as JSON text, e.g. {@code {"orderId":"o-1"}}
 * @param replayName the replay that re-delivered this event, if it is a replay
 * @param input the delivered bytes, UTF-8; the handler's own copy
 * @param json whether {@code input} is JSON (otherwise plain text)
 */
public record Event(
    String id,
    Optional<String> source,
    Optional<String> detailType,
    Optional<Instant> time,
    List<String> resources,
    Optional<String> detail,
    Optional<String> replayName,
    byte[] input,
    boolean json) {

  public Event {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(detailType, "detailType");
    Objects.requireNonNull(time, "time");
    resources = List.copyOf(resources);
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(replayName, "replayName");
    Objects.requireNonNull(input, "input");
  }

  /** {@link #input()} decoded as UTF-8. */
  public String inputText() {
    return new String(input, java.nio.charset.StandardCharsets.UTF_8);
  }
}
