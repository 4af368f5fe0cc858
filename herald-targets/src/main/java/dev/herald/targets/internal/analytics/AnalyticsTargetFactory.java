package dev.herald.targets.internal.analytics;

import dev.herald.api.delivery.Target;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.TargetSpec;
import dev.herald.targets.AnalyticsSink;
import dev.herald.targets.TargetContext;
import dev.herald.targets.TargetFactory;

/**
 * Builds {@code analytics} targets over the Herald's {@link AnalyticsSink}, which it asks to start
 * opening the store. Stateless; public only for {@link java.util.ServiceLoader}.
 */
public final class AnalyticsTargetFactory implements TargetFactory {
  @Override
  public String type() {
    return "analytics";
  }

  @Override
  public Target create(TargetSpec spec, TargetContext context) {
    if (!spec.settings().isEmpty()) {
      throw new ConfigException.Invalid("analytics", "analytics takes no settings");
    }
    AnalyticsSink sink = context.services().require(AnalyticsSink.class, type());
    sink.prepare();
    return new AnalyticsTarget(sink, context.clock());
  }
}
