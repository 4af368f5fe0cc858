package dev.herald.targets;

import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.TargetSpec;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The entry point: builds a {@link Target} from its spec with the factory registered for its type.
 * Factories are loaded once, when this class initialises; the registry is immutable afterwards and
 * safe to use from any thread.
 */
public final class Targets {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Targets.class);
  private static final Map<String, TargetFactory> FACTORIES = load();

  private Targets() {}

  /**
   * Builds the target {@code spec} describes.
   *
   * @throws ConfigException.Invalid if no factory handles the type, or the settings are invalid
   */
  public static Target create(TargetSpec spec, TargetContext context) {
    TargetFactory factory = FACTORIES.get(spec.type());
    if (factory == null) {
      throw new ConfigException.Invalid(
          "UnsupportedTargetType",
          "type",
          "target "
              + spec.name()
              + ": no implementation for type '"
              + spec.type()
              + "'; available: "
              + FACTORIES.keySet());
    }
    return factory.create(spec, context);
  }

  /**
   * Builds the target {@code spec} describes or, when it cannot be built now (a plugin jar was
   * removed, a bus deleted), a stand-in that answers every delivery with a retryable {@code
   * TargetUnavailable} naming the reason: its events wait (the circuit opens) and age like any
   * failing target's, instead of being lost or stopping the consumer that reads them.
   */
  public static Target createOrUnavailable(TargetSpec spec, TargetContext context) {
    try {
      return create(spec, context);
    } catch (RuntimeException e) {
      String reason = "target " + spec.name() + " cannot be built: " + e.getMessage();
      LOG.error("{}; its deliveries are retried until it can", reason);
      return new Unavailable(reason);
    }
  }

  /** A target that could not be built: every attempt is retried later. */
  private record Unavailable(String reason) implements Target {
    @Override
    public Outcome deliver(Delivery delivery) {
      return new Outcome.Retry("TargetUnavailable", reason);
    }

    @Override
    public void close() {
      // nothing was built
    }
  }

  /** The types that have a factory. */
  public static java.util.Set<String> types() {
    return FACTORIES.keySet();
  }

  private static Map<String, TargetFactory> load() {
    Map<String, TargetFactory> factories = new TreeMap<>();
    for (TargetFactory factory :
        ServiceLoader.load(TargetFactory.class, Targets.class.getClassLoader())) {
      TargetFactory previous = factories.putIfAbsent(factory.type(), factory);
      if (previous != null) {
        throw new IllegalStateException(
            "two factories for target type " + factory.type() + ": " + previous + ", " + factory);
      }
    }
    return Collections.unmodifiableMap(factories);
  }
}
