package dev.herald.targets.internal.chat;

import dev.herald.api.delivery.Target;
import dev.herald.core.config.TargetSpec;
import dev.herald.targets.TargetContext;
import dev.herald.targets.TargetFactory;

/** Builds {@code chat} targets. Stateless; public only for {@link java.util.ServiceLoader}. */
public final class ChatTargetFactory implements TargetFactory {
  @Override
  public String type() {
    return "chat";
  }

  @Override
  public Target create(TargetSpec spec, TargetContext context) {
    return new ChatTarget(spec.name(), ChatSettings.parse(spec.settings(), context), context);
  }
}
