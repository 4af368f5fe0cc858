package dev.herald.targets.internal.bus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.delivery.Target;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.TargetSpec;
import dev.herald.targets.BusPublisher;
import dev.herald.targets.TargetContext;
import dev.herald.targets.TargetFactory;

/**
 * Builds {@code bus} targets ({@code {"bus": "other-bus"}}). Whether the bus exists is not checked
 * here: a target is also rebuilt at every start, when its bus may have been deleted since; the
 * configuration service refuses a missing bus when the target is stored, and a delivery to a bus
 * deleted later is a {@code BusNotFound} dead letter. Stateless; public only for {@link
 * java.util.ServiceLoader}.
 */
public final class BusTargetFactory implements TargetFactory {
  @Override
  public String type() {
    return "bus";
  }

  @Override
  public Target create(TargetSpec spec, TargetContext context) {
    JsonNode bus = spec.settings().get("bus");
    if (bus == null || !bus.isTextual()) {
      throw new ConfigException.Invalid("bus.bus", "bus.bus must be the name of a bus");
    }
    BusPublisher publisher = context.services().require(BusPublisher.class, "bus");
    return new BusTarget(spec.name(), bus.asText(), publisher, context.clock());
  }
}
