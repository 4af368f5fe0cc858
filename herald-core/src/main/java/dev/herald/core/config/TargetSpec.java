package dev.herald.core.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A target as configured: where deliveries go and how hard Herald tries. Defaults are those of
 * {@link TargetSpecs}.
 *
 * @param settings the type's settings (the object named after the type), secrets in clear
 */
public record TargetSpec(
    String name,
    String type,
    ObjectNode settings,
    boolean enabled,
    int timeoutMs,
    RetryPolicy retry,
    int concurrencyMax,
    Optional<Double> rateLimitPerSecond,
    CircuitPolicy circuit,
    boolean ordered) {

  public TargetSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(rateLimitPerSecond, "rateLimitPerSecond");
    Objects.requireNonNull(circuit, "circuit");
  }

  public TargetSpec withSettings(ObjectNode newSettings) {
    return new TargetSpec(
        name,
        type,
        newSettings,
        enabled,
        timeoutMs,
        retry,
        concurrencyMax,
        rateLimitPerSecond,
        circuit,
        ordered);
  }

  public TargetSpec withEnabled(boolean newEnabled) {
    return new TargetSpec(
        name,
        type,
        settings,
        newEnabled,
        timeoutMs,
        retry,
        concurrencyMax,
        rateLimitPerSecond,
        circuit,
        ordered);
  }

  /** How often and for how long a delivery is retried. */
  public record RetryPolicy(
      int maxAttempts,
      long maxEventAgeSeconds,
      long initialBackoffMs,
      double multiplier,
      long maxBackoffMs) {}

  /** When a target's circuit opens and for how long. */
  public record CircuitPolicy(
      boolean enabled, int failureRatePercent, int minimumAttempts, int openSeconds) {}
}
