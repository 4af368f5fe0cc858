package dev.herald.targets.internal.audit;

import dev.herald.api.delivery.Target;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.TargetSpec;
import dev.herald.targets.AuditLog;
import dev.herald.targets.TargetContext;
import dev.herald.targets.TargetFactory;

/** Builds {@code audit} targets. Stateless; public only for {@link java.util.ServiceLoader}. */
public final class AuditTargetFactory implements TargetFactory {
  @Override
  public String type() {
    return "audit";
  }

  @Override
  public Target create(TargetSpec spec, TargetContext context) {
    if (!spec.settings().isEmpty()) {
      throw new ConfigException.Invalid("audit", "audit takes no settings");
    }
    return new AuditTarget(spec.name(), context.services().require(AuditLog.class, "audit"));
  }
}
