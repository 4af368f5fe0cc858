package dev.herald.targets;

import dev.herald.api.delivery.Target;
import dev.herald.core.config.TargetSpec;

/**
 * Builds targets of one type. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.herald.targets.TargetFactory}) and must be stateless.
 */
public interface TargetFactory {

  /** The target type this factory builds, as in {@link TargetSpec#type()}. */
  String type();

  /**
   * Builds a target, checking the settings that {@code TargetTypes} cannot.
   *
   * @throws dev.herald.core.config.ConfigException.Invalid naming the field and the value at fault
   */
  Target create(TargetSpec spec, TargetContext context);
}
