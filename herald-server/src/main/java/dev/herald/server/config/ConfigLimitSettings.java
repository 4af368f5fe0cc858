package dev.herald.server.config;

import dev.herald.core.config.ConfigLimits;
import java.util.Map;

/**
 * The configuration caps of the environment: {@code HERALD_MAX_BUSES} (default 100), {@code
 * HERALD_MAX_RULES_PER_BUS} (2,000) and {@code HERALD_MAX_TARGETS} (1,000). Stateless.
 */
public final class ConfigLimitSettings {
  public static final String MAX_BUSES = "HERALD_MAX_BUSES";
  public static final String MAX_RULES_PER_BUS = "HERALD_MAX_RULES_PER_BUS";
  public static final String MAX_TARGETS = "HERALD_MAX_TARGETS";

  private ConfigLimitSettings() {}

  /**
   * @throws IllegalArgumentException naming the variable whose value is not a whole number in range
   */
  public static ConfigLimits of(Map<String, String> env) {
    return new ConfigLimits(
        number(env, MAX_BUSES, ConfigLimits.DEFAULT_MAX_BUSES),
        number(env, MAX_RULES_PER_BUS, ConfigLimits.DEFAULT_MAX_RULES_PER_BUS),
        number(env, MAX_TARGETS, ConfigLimits.DEFAULT_MAX_TARGETS));
  }

  private static int number(Map<String, String> env, String name, int fallback) {
    String text = env.getOrDefault(name, "").strip();
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= 1 && value <= 1_000_000) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name + " must be a whole number from 1 to 1000000, got '" + text + "'");
  }
}
