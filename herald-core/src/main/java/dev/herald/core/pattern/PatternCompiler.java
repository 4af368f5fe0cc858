package dev.herald.core.pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
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

  private PatternCompiler() {}

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
