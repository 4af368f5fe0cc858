package dev.herald.server.queue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Wakes the long polls of a queue when this instance enqueues to it. A poller takes the queue's
 * current signal <em>before</em> it looks in the store and waits on it after finding nothing; an
 * enqueue completes that signal after its message is stored, so no wake-up falls between the look
 * and the wait. Messages enqueued by other instances are found by the pollers' periodic look.
 *
 * <p>Thread-safety: the map is concurrent; a signal is completed once, by whoever removes it.
 * Entries exist only for queues that have had pollers since their last enqueue.
 */
final class QueueSignals {
  private final ConcurrentMap<String, CompletableFuture<Void>> signals = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** The signal the next enqueue to {@code queue} completes (completed already once closed). */
  CompletableFuture<Void> current(String queue) {
    if (closed) {
      return CompletableFuture.completedFuture(null);
    }
    return signals.computeIfAbsent(queue, q -> new CompletableFuture<>());
  }

  /** Wakes the pollers of {@code queue}. */
  void signal(String queue) {
    CompletableFuture<Void> signal = signals.remove(queue);
    if (signal != null) {
      signal.complete(null);
    }
  }

  boolean closed() {
    return closed;
  }

  /** Wakes every poller; later waits end at once. */
  void close() {
    closed = true;
    for (String queue : signals.keySet()) {
      signal(queue);
    }
  }
}
