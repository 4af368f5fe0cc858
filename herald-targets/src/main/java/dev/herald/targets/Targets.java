package dev.herald.targets;

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
