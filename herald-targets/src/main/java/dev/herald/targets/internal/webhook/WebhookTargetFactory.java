package dev.herald.targets.internal.webhook;

import dev.herald.api.delivery.Target;
import dev.herald.core.config.TargetSpec;
import dev.herald.targets.TargetContext;
import dev.herald.targets.TargetFactory;

/** Builds {@code webhook} targets. Stateless; public only for {@link java.util.ServiceLoader}. */
public final class WebhookTargetFactory implements TargetFactory {
  @Override
  public String type() {
    return "webhook";
  }

  @Override
  public Target create(TargetSpec spec, TargetContext context) {
    return new WebhookTarget(spec.name(), WebhookSettings.parse(spec.settings()), context);
  }
}
