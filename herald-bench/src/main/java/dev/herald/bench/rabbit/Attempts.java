package dev.herald.bench.rabbit;

import java.util.List;
import java.util.Map;

/**
 * How many times a message already failed, read from the {@code x-death} header RabbitMQ keeps: one
 * entry per (queue, reason) with a {@code count}. A consumer that rejects a message from its queue
 * makes the broker dead-letter it with reason {@code rejected}; the retry queue's TTL then adds an
 * {@code expired} entry for the retry queue. Stateless.
 */
public final class Attempts {
  private Attempts() {}

  /** Failed attempts so far: the count of the {@code rejected} entry for {@code queue}, or 0. */
  public static long failedSoFar(Map<String, Object> headers, String queue) {
    if (headers == null || !(headers.get("x-death") instanceof List<?> deaths)) {
      return 0;
    }
    long failed = 0;
    for (Object death : deaths) {
      if (death instanceof Map<?, ?> entry
          && queue.equals(String.valueOf(entry.get("queue")))
          && "rejected".equals(String.valueOf(entry.get("reason")))
          && entry.get("count") instanceof Number count) {
        failed += count.longValue();
      }
    }
    return failed;
  }

  /**
   * Whether a message whose current attempt just failed has used all {@code maxAttempts}: it goes
   * to the dead-letter queue instead of the retry queue.
   */
  public static boolean exhausted(long failedSoFar, int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " must be at least 1");
    }
    return failedSoFar + 1 >= maxAttempts;
  }
}
