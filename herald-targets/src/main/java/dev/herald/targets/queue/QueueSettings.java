package dev.herald.targets.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.Body;
import java.time.Duration;

/**
 * The settings of a {@code queue} target, checked: {@code visibilitySeconds} (1 to 43,200, default
 * 30) is how long a receive hides a message when it does not ask for another visibility. Errors
 * name the field ({@code queue.visibilitySeconds}).
 */
public record QueueSettings(Duration visibility) {
  public static final long DEFAULT_VISIBILITY_SECONDS = 30;

  /** Twelve hours, SQS's limit. */
  public static final long MAX_VISIBILITY_SECONDS = 43_200;

  /**
   * Parses the settings object of a queue target.
   *
   * @throws dev.herald.core.config.ConfigException.Invalid naming the field at fault
   */
  public static QueueSettings parse(ObjectNode settings) {
    Body body = Body.of(settings, "queue");
    long seconds =
        body.number("visibilitySeconds", DEFAULT_VISIBILITY_SECONDS, 1, MAX_VISIBILITY_SECONDS);
    body.finish();
    return new QueueSettings(Duration.ofSeconds(seconds));
  }
}
