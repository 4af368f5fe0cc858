package dev.herald.server.replay;

import dev.herald.engine.replay.ReplaySettings;
import java.util.Map;

/**
 * The replay settings of the environment: {@code HERALD_REPLAY_EVENTS_PER_SECOND} (per replay,
 * default 2,000) and {@code HERALD_REPLAY_MAX_TARGET_BACKLOG} (default 1,000: a replay feeds a
 * target only while it has no more records waiting; a target above it waits in its own lane).
 * Stateless.
 */
public final class ReplaySettingsFromEnv {
  public static final String EVENTS_PER_SECOND = "HERALD_REPLAY_EVENTS_PER_SECOND";
  public static final String MAX_TARGET_BACKLOG = "HERALD_REPLAY_MAX_TARGET_BACKLOG";

  private ReplaySettingsFromEnv() {}

  /**
   * @throws IllegalArgumentException naming the variable whose value is not a whole number in range
   */
  public static ReplaySettings of(
      Map<String, String> env, String bootstrapServers, int maxMessageBytes) {
    ReplaySettings d = ReplaySettings.defaults(bootstrapServers, maxMessageBytes);
    return new ReplaySettings(
        d.bootstrapServers(),
        d.maxMessageBytes(),
        d.account(),
        d.region(),
        number(env, EVENTS_PER_SECOND, (long) d.eventsPerSecond()),
        number(env, MAX_TARGET_BACKLOG, d.maxTargetBacklog()),
        d.batchSize(),
        d.pause());
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    String text = env.getOrDefault(name, "").strip();
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text);
      if (value >= 1 && value <= 10_000_000) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name + " must be a whole number from 1 to 10000000, got '" + text + "'");
  }
}
