package dev.herald.targets.internal.log;

import dev.herald.api.delivery.Target;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.TargetSpec;
import dev.herald.targets.TargetContext;
import dev.herald.targets.TargetFactory;

/** Builds {@code log} targets. Stateless; public only for {@link java.util.ServiceLoader}. */
public final class LogTargetFactory implements TargetFactory {
  @Override
  public String type() {
    return "log";
  }

  @Override
  public Target create(TargetSpec spec, TargetContext context) {
    if (!spec.settings().isEmpty()) {
      throw new ConfigException.Invalid("log", "log takes no settings");
    }
    return new LogTarget(spec.name());
  }
}
