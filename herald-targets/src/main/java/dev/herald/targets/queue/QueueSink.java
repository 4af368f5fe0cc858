package dev.herald.targets.queue;

import dev.herald.api.delivery.Delivery;

/**
 * Where {@code queue} targets put their deliveries: the queues that consumers receive from (the
 * state store, in herald-server). Implementations are thread-safe: every target of the type calls
 * it from many delivery threads.
 */
public interface QueueSink {

  /**
   * Puts the delivery in the queue of the target {@code queue} and returns once it is stored. A
   * delivery whose key that queue has already taken is dropped (exactly one message per delivery
   * key), so attempts may repeat safely.
   *
   * @throws RuntimeException when it could not be stored now (the store is down or closing): the
   *     delivery is tried again later
   */
  void enqueue(String queue, Delivery delivery);
}
