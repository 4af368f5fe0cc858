package dev.herald.core.pattern;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.event.ruler.Machine;

/**
 * A {@link RuleMatcher} that files each rule under the exact {@code source} values its pattern
 * requires, else under its exact {@code detail-type} values, else in a shared fallback machine;
 * each filing key has its own event-ruler machine. An event is matched against the machines of its
 * own source and detail-type values and the fallback, so rules for other sources cost it nothing.
 *
 * <p>Immutable after construction; event-ruler machines are safe for concurrent matching once no
 * rule is added any more, and none is after the constructor returns (the maps are published through
 * final fields).
 */
final class IndexedRuleMatcher implements RuleMatcher {
  private final Map<String, Machine> bySource;
  private final Map<String, Machine> byDetailType;
  private final Machine fallback;
  private final int size;

  private IndexedRuleMatcher(
      Map<String, Machine> bySource,
      Map<String, Machine> byDetailType,
      Machine fallback,
      int size) {
    this.bySource = bySource;
    this.byDetailType = byDetailType;
    this.fallback = fallback;
    this.size = size;
  }

  static IndexedRuleMatcher of(Map<String, CompiledPattern> rules) {
    Map<String, Machine> bySource = new HashMap<>();
    Map<String, Machine> byDetailType = new HashMap<>();
    Machine fallback = null;
    for (Map.Entry<String, CompiledPattern> rule : rules.entrySet()) {
      CompiledPattern pattern = rule.getValue();
      if (!pattern.exactSources().isEmpty()) {
        fileUnder(bySource, pattern.exactSources(), rule.getKey(), pattern);
      } else if (!pattern.exactDetailTypes().isEmpty()) {
        fileUnder(byDetailType, pattern.exactDetailTypes(), rule.getKey(), pattern);
      } else {
        fallback = fallback == null ? Machines.newMachine() : fallback;
        add(fallback, rule.getKey(), pattern);
      }
    }
    return new IndexedRuleMatcher(
        Map.copyOf(bySource), Map.copyOf(byDetailType), fallback, rules.size());
  }

  @Override
  public List<String> matches(String envelopeJson) {
    if (bySource.isEmpty() && byDetailType.isEmpty()) {
      return fallback == null ? List.of() : match(fallback, envelopeJson);
    }
    EnvelopeKeys keys = EnvelopeKeys.read(envelopeJson);
    List<Machine> machines = new ArrayList<>(3);
    collect(bySource, keys.sources(), machines);
    collect(byDetailType, keys.detailTypes(), machines);
    if (fallback != null) {
      machines.add(fallback);
    }
    if (machines.size() == 1) {
      return match(machines.get(0), envelopeJson);
    }
    Set<String> found = new LinkedHashSet<>();
    for (Machine machine : machines) {
      found.addAll(match(machine, envelopeJson));
    }
    return List.copyOf(found);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public String toString() {
    return "RuleMatcher[rules="
        + size
        + ", sources="
        + bySource.size()
        + ", detailTypes="
        + byDetailType.size()
        + ", fallback="
        + (fallback != null)
        + "]";
  }

  private static void collect(
      Map<String, Machine> index, List<String> values, List<Machine> machines) {
    for (String value : values) {
      Machine machine = index.get(value);
      if (machine != null && !machines.contains(machine)) {
        machines.add(machine);
      }
    }
  }

  private static List<String> match(Machine machine, String envelopeJson) {
    try {
      return Collections.unmodifiableList(machine.rulesForJSONEvent(envelopeJson));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("event is not a valid JSON object: " + e.getMessage(), e);
    } catch (Exception e) {
      throw new IllegalStateException("event-ruler failed on an event", e);
    }
  }

  private static void fileUnder(
      Map<String, Machine> index, Set<String> keys, String ruleId, CompiledPattern pattern) {
    for (String key : keys) {
      add(index.computeIfAbsent(key, k -> Machines.newMachine()), ruleId, pattern);
    }
  }

  private static void add(Machine machine, String ruleId, CompiledPattern pattern) {
    try {
      machine.addRule(ruleId, pattern.json());
    } catch (IOException e) {
      throw new IllegalStateException("a compiled pattern no longer compiles: " + pattern, e);
    }
  }
}
