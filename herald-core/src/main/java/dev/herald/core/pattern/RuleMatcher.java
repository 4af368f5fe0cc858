package dev.herald.core.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rules of one bus, ready to match events: which rules' patterns does a delivered envelope
 * match?
 *
 * <p>Matching cost does not grow with rules that cannot match the event: rules that require exact
 * {@code source} values (or, failing that, exact {@code detail-type} values) are kept in one
 * event-ruler machine per value, and an event consults only the machines of its own values plus one
 * shared machine for the rules that cannot be indexed that way.
 *
 * <p>Immutable and thread-safe once built: any number of threads may call {@link #matches(String)}
 * at once. A change of rules builds a new matcher, which the caller swaps in ({@link
 * Builder#replacing} recompiles only the buckets whose rules changed); a {@link Builder} is for one
 * thread. Building costs what event-ruler's {@code addRule} costs, mostly well under a millisecond
 * a rule, except that one-sided numeric ranges ({@code [">", n]}) with many distinct bounds on one
 * field of one machine grow with the square of their number (1,000 of them in one machine take
 * minutes); the index keeps such rules of different sources in different machines.
 */
public interface RuleMatcher {

  /**
   * The ids of the rules whose pattern matches the event, each once, in no particular order.
   *
   * @param envelopeJson the event as JSON, in the delivered envelope's shape ({@code {"version":
   *     "0", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}})
   * @throws IllegalArgumentException when the text is not a JSON object, or repeats a key
   */
  List<String> matches(String envelopeJson);

  /**
   * Like {@link #matches(String)}, for an envelope already parsed (the router has it as a tree for
   * input shaping): saves parsing the event again.
   *
   * @throws IllegalArgumentException when the node is not a JSON object
   */
  List<String> matches(JsonNode envelope);

  /** How many rules the matcher holds. */
  int size();

  /** A builder for a matcher. */
  static Builder builder() {
    return new Builder();
  }

  /** A matcher of these rules, by rule id. */
  static RuleMatcher of(Map<String, CompiledPattern> patternsByRuleId) {
    Builder builder = builder();
    patternsByRuleId.forEach(builder::add);
    return builder.build();
  }

  /**
   * Whether one pattern matches one event: the answer of {@code POST /v1/test-pattern} and of AWS's
   * TestEventPattern. Builds a machine for the call, so not for the routing path.
   *
   * @throws IllegalArgumentException when the event text is not a JSON object
   */
  static boolean matches(CompiledPattern pattern, String envelopeJson) {
    return !builder().add("pattern", pattern).build().matches(envelopeJson).isEmpty();
  }

  /** Collects rules, then builds a {@link RuleMatcher}. Not thread-safe: one thread builds. */
  final class Builder {
    private final Map<String, CompiledPattern> rules = new LinkedHashMap<>();
    private RuleMatcher previous;

    private Builder() {}

    /**
     * Adds a rule.
     *
     * @throws IllegalArgumentException when a rule with this id was already added
     */
    public Builder add(String ruleId, CompiledPattern pattern) {
      Objects.requireNonNull(ruleId, "ruleId");
      Objects.requireNonNull(pattern, "pattern");
      if (rules.putIfAbsent(ruleId, pattern) != null) {
        throw new IllegalArgumentException("rule \"" + ruleId + "\" was added twice");
      }
      return this;
    }

    /**
     * Lets the build reuse the event-ruler machines of the matcher this one replaces wherever their
     * rules are unchanged (same ids, equal patterns), so that changing one rule of a large bus
     * recompiles only the rules filed with it. The previous matcher stays valid and unchanged.
     */
    public Builder replacing(RuleMatcher previous) {
      this.previous = Objects.requireNonNull(previous, "previous");
      return this;
    }

    /** The matcher of the rules added so far; the builder may go on to build others. */
    public RuleMatcher build() {
      return IndexedRuleMatcher.of(rules, previous);
    }
  }
}
