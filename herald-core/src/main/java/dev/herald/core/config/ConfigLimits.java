package dev.herald.core.config;

/**
 * How many buses, rules per bus and targets one Herald holds; creating one more is refused (409
 * {@code LimitExceeded}), while updates of existing ones always pass. Validated here; immutable.
 *
 * @param maxBuses buses, the default bus included (default 100)
 * @param maxRulesPerBus rules of one bus (default 2,000)
 * @param maxTargets targets (default 1,000)
 */
public record ConfigLimits(int maxBuses, int maxRulesPerBus, int maxTargets) {
  public static final int DEFAULT_MAX_BUSES = 100;
  public static final int DEFAULT_MAX_RULES_PER_BUS = 2000;
  public static final int DEFAULT_MAX_TARGETS = 1000;
  private static final int CEILING = 1_000_000;

  public ConfigLimits {
    check("maxBuses", maxBuses);
    check("maxRulesPerBus", maxRulesPerBus);
    check("maxTargets", maxTargets);
  }

  public static ConfigLimits defaults() {
    return new ConfigLimits(DEFAULT_MAX_BUSES, DEFAULT_MAX_RULES_PER_BUS, DEFAULT_MAX_TARGETS);
  }

  private static void check(String name, int value) {
    if (value < 1 || value > CEILING) {
      throw new IllegalArgumentException(name + " must be from 1 to " + CEILING + ", got " + value);
    }
  }
}
