package dev.herald.targets.internal.email;

import dev.herald.api.delivery.Target;
import dev.herald.core.config.TargetSpec;
import dev.herald.targets.TargetContext;
import dev.herald.targets.TargetFactory;

/** Builds {@code email} targets. Stateless; public only for {@link java.util.ServiceLoader}. */
public final class EmailTargetFactory implements TargetFactory {
  @Override
  public String type() {
    return "email";
  }

  @Override
  public Target create(TargetSpec spec, TargetContext context) {
    return new EmailTarget(spec.name(), EmailSettings.parse(spec.settings()), context);
  }
}
