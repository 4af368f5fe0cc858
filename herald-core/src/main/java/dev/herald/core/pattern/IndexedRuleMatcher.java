package dev.herald.core.pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.event.ruler.Machine;

/**
 * A {@link RuleMatcher} that files each rule under the exact {@code source} values its pattern
 * requires, else under its exact {@code detail-type} values, else in a shared fallback bucket; each
 * bucket has its own event-ruler machine. An event is matched against the machines of its own
 * source and detail-type values and the fallback, so rules for other sources cost it nothing.
 *
 * <p>Immutable after construction: event-ruler machines are safe for concurrent matching, and no
 * rule is added to a machine after the matcher holding it is built (the maps are published through
 * final fields). A machine may be shared by several matchers when a rebuild reuses a bucket whose
 * rules did not change; it is never modified again.
 */
final class IndexedRuleMatcher implements RuleMatcher {
  private static final String SOURCE = "source";
  private static final String DETAIL_TYPE = "detail-type";

  /** The rules of one bucket and the machine holding exactly them. */
  private record Bucket(Map<String, CompiledPattern> rules, Machine machine) {}

  private final Map<String, Bucket> bySource;
  private final Map<String, Bucket> byDetailType;
  private final Bucket fallback;
  private final int size;

  private IndexedRuleMatcher(
      Map<String, Bucket> bySource, Map<String, Bucket> byDetailType, Bucket fallback, int size) {
    this.bySource = bySource;
    this.byDetailType = byDetailType;
    this.fallback = fallback;
    this.size = size;
  }

  /**
   * A matcher of these rules; buckets whose rules are the same as in {@code previous} (when it is
   * an indexed matcher) keep its machines instead of compiling them again.
   */
  static IndexedRuleMatcher of(Map<String, CompiledPattern> rules, RuleMatcher previous) {
    Map<String, Map<String, CompiledPattern>> sources = new HashMap<>();
    Map<String, Map<String, CompiledPattern>> detailTypes = new HashMap<>();
    Map<String, CompiledPattern> rest = new LinkedHashMap<>();
    rules.forEach(
        (id, pattern) -> {
          if (!pattern.exactSources().isEmpty()) {
            file(sources, pattern.exactSources(), id, pattern);
          } else if (!pattern.exactDetailTypes().isEmpty()) {
            file(detailTypes, pattern.exactDetailTypes(), id, pattern);
          } else {
            rest.put(id, pattern);
          }
        });
    IndexedRuleMatcher old = previous instanceof IndexedRuleMatcher m ? m : null;
    return new IndexedRuleMatcher(
        buckets(sources, old == null ? Map.of() : old.bySource),
        buckets(detailTypes, old == null ? Map.of() : old.byDetailType),
        rest.isEmpty() ? null : bucket(rest, old == null ? null : old.fallback),
        rules.size());
  }

  @Override
  public List<String> matches(String envelopeJson) {
    return matches(parse(envelopeJson));
  }

  @Override
  public List<String> matches(JsonNode envelope) {
    if (!envelope.isObject()) {
      throw new IllegalArgumentException("event must be a JSON object");
    }
    List<Machine> machines = new ArrayList<>(3);
    collect(bySource, envelope.get(SOURCE), machines);
    collect(byDetailType, envelope.get(DETAIL_TYPE), machines);
    if (fallback != null) {
      machines.add(fallback.machine());
    }
    if (machines.size() <= 1) {
      return machines.isEmpty() ? List.of() : match(machines.get(0), envelope);
    }
    Set<String> found = new LinkedHashSet<>();
    for (Machine machine : machines) {
      found.addAll(match(machine, envelope));
    }
    return List.copyOf(found);
  }

  @Override
  public int size() {
    return size;
  }

  /** The machine of a source's bucket, if there is one (for tests of reuse). */
  Machine sourceMachine(String source) {
    Bucket bucket = bySource.get(source);
    return bucket == null ? null : bucket.machine();
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
        + (fallback == null ? 0 : fallback.rules().size())
        + "]";
  }

  private static void file(
      Map<String, Map<String, CompiledPattern>> index,
      Set<String> keys,
      String ruleId,
      CompiledPattern pattern) {
    for (String key : keys) {
      index.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(ruleId, pattern);
    }
  }

  private static Map<String, Bucket> buckets(
      Map<String, Map<String, CompiledPattern>> index, Map<String, Bucket> previous) {
    Map<String, Bucket> buckets = new HashMap<>();
    index.forEach((key, rules) -> buckets.put(key, bucket(rules, previous.get(key))));
    return Map.copyOf(buckets);
  }

  private static Bucket bucket(Map<String, CompiledPattern> rules, Bucket previous) {
    if (previous != null && previous.rules().equals(rules)) {
      return previous;
    }
    Machine machine = Machines.newMachine();
    rules.forEach((id, pattern) -> add(machine, id, pattern));
    return new Bucket(Map.copyOf(rules), machine);
  }

  /** Adds the machines filed under the strings of a field's value (a string or an array). */
  private static void collect(Map<String, Bucket> index, JsonNode value, List<Machine> machines) {
    if (value == null || index.isEmpty()) {
      return;
    }
    if (value.isTextual()) {
      Bucket bucket = index.get(value.textValue());
      if (bucket != null && !machines.contains(bucket.machine())) {
        machines.add(bucket.machine());
      }
    } else if (value.isArray()) {
      for (JsonNode element : value) {
        collect(index, element, machines);
      }
    }
  }

  private static JsonNode parse(String envelopeJson) {
    try {
      return Json.MAPPER.readTree(envelopeJson);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static List<String> match(Machine machine, JsonNode envelope) {
    return Collections.unmodifiableList(machine.rulesForJSONEvent(envelope));
  }

  private static void add(Machine machine, String ruleId, CompiledPattern pattern) {
    try {
      machine.addRule(ruleId, pattern.json());
    } catch (IOException e) {
      throw new IllegalStateException("a compiled pattern no longer compiles: " + pattern, e);
    }
  }
}
