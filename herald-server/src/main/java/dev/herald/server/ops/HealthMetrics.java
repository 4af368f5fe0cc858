package dev.herald.server.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The readiness checks as gauges: {@code herald.engine.up} and {@code herald.store.up}, 1 while the
 * check passes, else 0. They read {@link Readiness}, whose answer is cached for a second.
 */
public final class HealthMetrics {
  private HealthMetrics() {}

  public static void bind(Readiness readiness, MeterRegistry metrics) {
    for (String check : new String[] {"engine", "store"}) {
      Gauge.builder(
              "herald." + check + ".up", readiness, r -> "ok".equals(r.status().get(check)) ? 1 : 0)
          .description("1 while the " + check + " accepts writes (as /health/ready), else 0")
          .register(metrics);
    }
  }
}
