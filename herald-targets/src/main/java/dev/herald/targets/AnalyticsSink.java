package dev.herald.targets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * Where {@code analytics} targets put the events delivered to them: Herald's analytics store. The
 * composition root (herald-server) implements it and provides it through {@link TargetServices}.
 *
 * <p>Implementations are thread-safe: every analytics target calls them from many threads at once.
 */
public interface AnalyticsSink {

  /**
   * Starts opening the store in the background, so that the first delivery does not wait for it;
   * returns at once. Called when an analytics target is built.
   */
  void prepare();

  /**
   * Appends one delivered event and returns once it is durable, together with its delivery key: a
   * key already stored is not stored or counted again, so a retried or repeated delivery counts
   * once (and the delivery journal says delivered only for a durable row).
   *
   * @param deliveryKey the delivery's key, the same on every attempt
   * @param eventId the event's id
   * @param envelope the delivered envelope, when the target's input is it; empty when the rule
   *     shaped the input, and the sink then reads the event back by its id
   * @param deadline when the attempt must have answered
   * @return {@code true} when the event was stored now, {@code false} when its key was already
   * @throws dev.herald.api.RetryableException when it could not be stored (by the deadline)
   * @throws dev.herald.api.PermanentException when it never can be (the event is gone)
   */
  boolean append(
      String deliveryKey, String eventId, Optional<ObjectNode> envelope, Instant deadline);
}
