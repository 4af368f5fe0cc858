package dev.herald.engine.delivery;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Runs the tasks of one key one after the other, in submission order, and tasks of different keys
 * in parallel: the ordering of an ordered target. Thread-safe: the queues are guarded by this
 * object's monitor; each key is drained by one task of the executor at a time.
 */
final class KeySequencer {
  private final Map<String, Deque<Runnable>> queues = new HashMap<>();
  private final Executor executor;

  KeySequencer(Executor executor) {
    this.executor = executor;
  }

  void submit(String key, Runnable task) {
    synchronized (this) {
      Deque<Runnable> queue = queues.get(key);
      if (queue != null) {
        queue.add(task);
        return;
      }
      queues.put(key, new ArrayDeque<>());
    }
    executor.execute(() -> drain(key, task));
  }

  private void drain(String key, Runnable first) {
    for (Runnable next = first; next != null; next = poll(key)) {
      next.run();
    }
  }

  private synchronized Runnable poll(String key) {
    Deque<Runnable> queue = queues.get(key);
    Runnable next = queue.poll();
    if (next == null) {
      queues.remove(key);
    }
    return next;
  }
}
