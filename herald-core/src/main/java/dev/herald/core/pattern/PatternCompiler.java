package dev.herald.core.pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.event.ruler.Machine;

/**
 * Checks and compiles EventBridge event patterns: the one way to get a {@link CompiledPattern}.
 * Every rule's pattern goes through here when it is stored, so that a bad pattern is refused with a
 * clear {@link InvalidPatternException} then, never when the first event arrives.
 *
 * <p>A pattern is accepted when it is a JSON object without duplicate keys that event-ruler (the
 * engine behind EventBridge) compiles, and it is within two limits:
 *
 * <ul>
 *   <li><b>size</b>: at most {@value #MAX_PATTERN_CHARS} characters in canonical form (whitespace
 *       does not count, so an indented pattern is not penalised). EventBridge's documents have
 *       given 2,048 and 4,096 for {@code EventPattern}; Herald takes the larger, so every pattern
 *       EventBridge accepts fits, while the cost of checking one stays in milliseconds. Texts
 *       longer than {@value #MAX_PATTERN_TEXT_CHARS} characters are refused before they are read.
 *   <li><b>complexity</b>: at most {@value #MAX_COMPLEXITY}, as counted by event-ruler's {@code
 *       MachineComplexityEvaluator} on a machine holding only this pattern: how many wildcard
 *       states a worst-case value can keep alive at once, which is what makes matching slow for
 *       every rule sharing the machine. Patterns without wildcards count 0; ordinary wildcard
 *       patterns measured 2 to 12 (an ARN glob 5 to 7, five {@code *.ext} suffixes 10, four {@code
 *       *word*} contains 12); {@code *a*b*c*d*e*f*g*} counts 9 alone but 17 to 19 twice, and 20
 *       copies of it would make matching hundreds of times slower on hostile values. The limit sits
 *       between the two, at the point where event-ruler's own measurements show throughput falling
 *       about tenfold.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class PatternCompiler {
  /** The longest pattern accepted, in characters of its canonical (whitespace-free) text. */
  public static final int MAX_PATTERN_CHARS = 4096;

  /** The longest pattern text read at all, whitespace included. */
  public static final int MAX_PATTERN_TEXT_CHARS = 16 * MAX_PATTERN_CHARS;

  /** The highest event-ruler complexity accepted for one pattern. */
  public static final int MAX_COMPLEXITY = 16;

  /**
   * The highest sum of the complexities of the patterns of one bus: a bound on how much work
   * matching one event can cost on a bus, whatever its rules. Event-ruler's complexity of several
   * patterns together grows with the sum of theirs (measured: 3, 6, 15 and 30 for 1, 2, 5 and 10
   * {@code *word*} patterns on one field), but evaluating a machine of many wildcard patterns takes
   * exponential time (10 such patterns: 10 s; 20: out of memory), so each pattern's own complexity
   * is summed instead. 256 allows, for example, 85 {@code *word*} patterns, about 40 ARN globs or
   * 16 patterns at {@link #MAX_COMPLEXITY}; rules without wildcards, suffixes, {@code
   * equals-ignore-case} or {@code anything-but} count 0.
   */
  public static final int MAX_BUS_COMPLEXITY = 256;

  /** The operators whose patterns can have a complexity above 0. */
  private static final List<String> COMPLEX_OPERATORS =
      List.of("\"wildcard\"", "\"suffix\"", "\"equals-ignore-case\"", "\"anything-but\"");

  private PatternCompiler() {}

  /**
   * The complexity of one valid canonical pattern (as {@link #compile} returns it and rules store
   * it), counted up to {@link #MAX_COMPLEXITY} + 1.
   */
  public static int complexity(String canonicalJson) {
    if (COMPLEX_OPERATORS.stream().noneMatch(canonicalJson::contains)) {
      return 0;
    }
    return RulerCheck.complexityOf(canonicalJson, MAX_COMPLEXITY + 1);
  }

  /**
   * Checks that the patterns of one bus stay within {@link #MAX_BUS_COMPLEXITY} together: many
   * wildcard rules on one bus are each cheap alone but together slow the matching of every event of
   * the bus.
   *
   * @param others the complexities of the bus's other patterns added up ({@link #complexity})
   * @param canonicalPattern the new or changed pattern
   * @throws InvalidPatternException when their complexities add up to more than the limit
   */
  public static void checkBus(long others, String canonicalPattern) {
    long total = others + complexity(canonicalPattern);
    if (total > MAX_BUS_COMPLEXITY) {
      throw new InvalidPatternException(
          "the bus's patterns would be too complex to match efficiently together: their"
              + " complexities add up to "
              + total
              + ", over the limit of "
              + MAX_BUS_COMPLEXITY
              + " per bus (rules that use wildcard, suffix, equals-ignore-case or anything-but);"
              + " use fewer such rules on this bus, or exact values and prefixes",
          null);
    }
  }

  /**
   * Checks an EventBridge event pattern and returns it compiled.
   *
   * @param patternJson the pattern's JSON text, e.g. {@code {"source": ["shop.orders"]}}
   * @throws InvalidPatternException when the pattern is not valid, or over a limit; its message
   *     says what is wrong, and its {@link InvalidPatternException#field()} where
   */
  public static CompiledPattern compile(String patternJson) {
    Objects.requireNonNull(patternJson, "patternJson");
    if (patternJson.length() > MAX_PATTERN_TEXT_CHARS) {
      throw new InvalidPatternException(
          "pattern text is "
              + patternJson.length()
              + " characters long; the limit is "
              + MAX_PATTERN_CHARS
              + " without whitespace",
          null);
    }
    ObjectNode tree = PatternTree.parse(patternJson);
    String canonical = PatternTree.write(tree);
    if (canonical.length() > MAX_PATTERN_CHARS) {
      throw tooLong(canonical.length());
    }
    Machine machine = RulerCheck.machineWith(canonical, tree);
    int complexity = RulerCheck.complexity(machine, MAX_COMPLEXITY + 1);
    if (complexity > MAX_COMPLEXITY) {
      throw tooComplex(tree);
    }
    return new CompiledPattern(
        canonical,
        IndexKeys.exactStrings(tree, "source"),
        IndexKeys.exactStrings(tree, "detail-type"));
  }

  private static InvalidPatternException tooLong(int length) {
    return new InvalidPatternException(
        "pattern is "
            + length
            + " characters long without whitespace; the limit is "
            + MAX_PATTERN_CHARS,
        null);
  }

  private static InvalidPatternException tooComplex(ObjectNode tree) {
    Map.Entry<String, Integer> worst = RulerCheck.mostComplexField(tree, MAX_COMPLEXITY + 1);
    String fieldAlone =
        worst.getValue() > MAX_COMPLEXITY ? "over " + MAX_COMPLEXITY : "" + worst.getValue();
    return new InvalidPatternException(
        "pattern is too complex to match efficiently: its wildcard complexity is over "
            + MAX_COMPLEXITY
            + " (the most complex field counts "
            + fieldAlone
            + " alone); use fewer wildcards, fewer wildcard values per field,"
            + " or a literal prefix before the first '*'",
        worst.getKey());
  }
}
