package dev.herald.targets.internal.function;

import dev.herald.api.delivery.Target;
import dev.herald.core.config.TargetSpec;
import dev.herald.targets.TargetContext;
import dev.herald.targets.TargetFactory;

/**
 * Builds {@code function} targets: checks the settings, loads the handler from its jar and creates
 * it, so a bad jar or class fails when the target is stored. Stateless; public only for {@link
 * java.util.ServiceLoader}.
 */
public final class FunctionTargetFactory implements TargetFactory {
  @Override
  public String type() {
    return "function";
  }

  @Override
  public Target create(TargetSpec spec, TargetContext context) {
    FunctionSettings settings = FunctionSettings.parse(spec.settings(), context.pluginsDir());
    HandlerLoader.Loaded loaded = HandlerLoader.load(settings, spec.name());
    return new FunctionTarget(spec, settings, loaded, context.clock());
  }
}
