package dev.herald.targets.internal.queue;

import dev.herald.api.delivery.Target;
import dev.herald.core.config.TargetSpec;
import dev.herald.targets.TargetContext;
import dev.herald.targets.TargetFactory;
import dev.herald.targets.queue.QueueSettings;
import dev.herald.targets.queue.QueueSink;

/**
 * Builds {@code queue} targets over the {@link QueueSink} of the context's services. Stateless;
 * public only for {@link java.util.ServiceLoader}.
 */
public final class QueueTargetFactory implements TargetFactory {
  @Override
  public String type() {
    return "queue";
  }

  @Override
  public Target create(TargetSpec spec, TargetContext context) {
    QueueSettings.parse(spec.settings());
    return new QueueTarget(spec.name(), context.services().require(QueueSink.class, type()));
  }
}
