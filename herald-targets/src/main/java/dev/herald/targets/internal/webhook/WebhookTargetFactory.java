package dev.herald.targets.internal.webhook;

import dev.herald.api.delivery.Target;
import dev.herald.core.config.TargetSpec;
import dev.herald.targets.TargetContext;
import dev.herald.targets.TargetFactory;
import dev.herald.targets.internal.http.AddressPolicy;

/** Builds {@code webhook} targets. Stateless; public only for {@link java.util.ServiceLoader}. */
public final class WebhookTargetFactory implements TargetFactory {
  @Override
  public String type() {
    return "webhook";
  }

  @Override
  public Target create(TargetSpec spec, TargetContext context) {
    WebhookSettings settings = WebhookSettings.parse(spec.settings());
    AddressPolicy policy = new AddressPolicy(context.outbound());
    policy.requireAllowedLiteral(settings.url(), "webhook.url");
    if (settings.auth() instanceof WebhookSettings.Auth.OAuth oauth) {
      policy.requireAllowedLiteral(oauth.tokenUrl(), "webhook.auth.oauth.tokenUrl");
    }
    return new WebhookTarget(spec.name(), settings, context);
  }
}
