package dev.herald.core.config;

import dev.herald.core.shaping.InputTransformer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A rule as configured: which events of a bus it matches and where it sends them.
 *
 * @param pattern the EventBridge pattern, canonical JSON text, checked when stored
 */
public record RuleSpec(
    String bus,
    String name,
    String pattern,
    boolean enabled,
    String description,
    List<RuleTarget> targets) {

  public RuleSpec {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(description, "description");
    targets = List.copyOf(targets);
  }

  /** One target of a rule and how its input is shaped (at most one of the three). */
  public record RuleTarget(
      String target,
      Optional<String> input,
      Optional<String> inputPath,
      Optional<InputTransformer> inputTransformer) {

    public RuleTarget {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(input, "input");
      Objects.requireNonNull(inputPath, "inputPath");
      Objects.requireNonNull(inputTransformer, "inputTransformer");
    }

    public static RuleTarget plain(String target) {
      return new RuleTarget(target, Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  public List<String> targetNames() {
    return targets.stream().map(RuleTarget::target).toList();
  }
}
