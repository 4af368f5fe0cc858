package dev.herald.targets.internal.email;

import dev.herald.api.delivery.Target;
import dev.herald.core.config.TargetSpec;
import dev.herald.targets.TargetContext;
import dev.herald.targets.TargetFactory;
import dev.herald.targets.internal.http.AddressPolicy;

/** Builds {@code email} targets. Stateless; public only for {@link java.util.ServiceLoader}. */
public final class EmailTargetFactory implements TargetFactory {
  @Override
  public String type() {
    return "email";
  }

  @Override
  public Target create(TargetSpec spec, TargetContext context) {
    EmailSettings settings = EmailSettings.parse(spec.settings());
    new AddressPolicy(context.outbound())
        .requireAllowedLiteral(settings.smtp().host(), settings.smtp().port(), "email.smtp.host");
    return new EmailTarget(spec.name(), settings, context);
  }
}
