package dev.herald.targets;

import dev.herald.core.config.ConfigException;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of the running Herald that some target types write to (the audit log, the analytics
 * store, the queues, the buses), each behind an interface the target type declares in this module
 * and the composition root (herald-server) implements: targets never see the store or the engine.
 *
 * <p>Immutable: {@link #with} returns a copy.
 */
public final class TargetServices {
  private static final TargetServices NONE = new TargetServices(Map.of());

  private final Map<Class<?>, Object> services;

  private TargetServices(Map<Class<?>, Object> services) {
    this.services = services;
  }

  /** No services: enough for webhook, chat, email, log and function targets. */
  public static TargetServices none() {
    return NONE;
  }

  /** A copy that also provides {@code service} as {@code type}. */
  public <T> TargetServices with(Class<T> type, T service) {
    Objects.requireNonNull(service, "service");
    var copy = new java.util.HashMap<>(services);
    copy.put(type, service);
    return new TargetServices(Map.copyOf(copy));
  }

  /**
   * The service of {@code type}, which a target of {@code targetType} needs.
   *
   * @throws ConfigException.Invalid if this Herald does not provide it
   */
  public <T> T require(Class<T> type, String targetType) {
    Object service = services.get(type);
    if (service == null) {
      throw new ConfigException.Invalid(
          "UnsupportedTargetType",
          "type",
          targetType
              + " targets need "
              + type.getSimpleName()
              + ", which this Herald does not run");
    }
    return type.cast(service);
  }
}
