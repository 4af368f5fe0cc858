package dev.herald.targets.internal.queue;

import dev.herald.api.UnstorableException;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.targets.queue.QueueSink;

/**
 * The {@code queue} target: each delivery becomes a message of the target's queue, which consumers
 * receive, ack and nack over HTTP. Delivered once the message is stored; retried when it could not
 * be (the store is down); a dead letter {@code Unstorable} when the store refused the message for
 * what it holds (a NUL character in text, for PostgreSQL).
 *
 * <p>Thread-safety: immutable; the sink is thread-safe.
 */
final class QueueTarget implements Target {
  static final String STORE_UNAVAILABLE = "StoreUnavailable";

  private final String name;
  private final QueueSink sink;

  QueueTarget(String name, QueueSink sink) {
    this.name = name;
    this.sink = sink;
  }

  @Override
  public Outcome deliver(Delivery delivery) {
    try {
      sink.enqueue(name, delivery);
      return new Outcome.Delivered();
    } catch (UnstorableException e) {
      return new Outcome.Permanent(UnstorableException.CODE, e.getMessage());
    } catch (RuntimeException e) {
      return new Outcome.Retry(STORE_UNAVAILABLE, "cannot enqueue the message: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    // nothing to release: the sink belongs to Herald
  }
}
