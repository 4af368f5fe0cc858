package dev.herald.core.pattern;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.event.ruler.Machine;

/**
 * Runs the shared pattern corpus {@code patterns/conformance.json} (EventBridge's documented
 * semantics; where event-ruler 2.1.0 differs, event-ruler's answer, named as such) through every
 * way Herald matches: a matcher per case, one matcher holding every case, and the single-pattern
 * check of {@code POST /v1/test-pattern}.
 */
class PatternConformanceTest {
  private static final List<Case> CASES = load();

  record Case(String name, String pattern, String event, boolean matches) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return CASES.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matcherOfTheCaseAloneAnswersAsExpected(Case c) {
    RuleMatcher matcher = RuleMatcher.builder().add(c.name(), compile(c)).build();

    assertThat(matcher.matches(c.event())).isEqualTo(c.matches() ? List.of(c.name()) : List.of());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void singlePatternCheckAnswersAsExpected(Case c) {
    assertThat(RuleMatcher.matches(compile(c), c.event())).isEqualTo(c.matches());
  }

  @Test
  void oneMatcherHoldingEveryCaseAnswersEachCaseAndAgreesWithAPlainMachine() throws Exception {
    Map<String, CompiledPattern> rules = new LinkedHashMap<>();
    Machine plain = Machine.builder().build();
    for (Case c : CASES) {
      rules.put(c.name(), compile(c));
      plain.addRule(c.name(), c.pattern());
    }
    RuleMatcher matcher = RuleMatcher.of(rules);

    for (Case c : CASES) {
      List<String> found = matcher.matches(c.event());
      assertThat(found.contains(c.name())).as(c.name()).isEqualTo(c.matches());
      assertThat(found).as(c.name()).doesNotHaveDuplicates();
      assertThat(new HashSet<>(found))
          .as(c.name())
          .isEqualTo(new HashSet<>(plain.rulesForJSONEvent(c.event())));
    }
  }

  @Test
  void corpusHasAtLeastAHundredCasesWithUniqueNamesAndBothAnswers() {
    assertThat(CASES).hasSizeGreaterThanOrEqualTo(100);
    assertThat(CASES.stream().map(Case::name)).doesNotHaveDuplicates();
    assertThat(CASES.stream().filter(c -> !c.matches()).count()).isGreaterThanOrEqualTo(60);
  }

  @Test
  void corpusUsesEveryOperatorOfThePatternLanguage() throws Exception {
    Set<String> used = new HashSet<>();
    for (Case c : CASES) {
      collectKeys(Json.MAPPER.readTree(c.pattern()), used);
    }
    assertThat(used)
        .contains(
            "prefix",
            "suffix",
            "equals-ignore-case",
            "wildcard",
            "anything-but",
            "numeric",
            "exists",
            "cidr",
            "$or");
  }

  private static void collectKeys(JsonNode node, Set<String> into) {
    node.properties().forEach(field -> into.add(field.getKey()));
    node.forEach(child -> collectKeys(child, into));
  }

  private static CompiledPattern compile(Case c) {
    return PatternCompiler.compile(c.pattern());
  }

  private static List<Case> load() {
    try (InputStream in =
        PatternConformanceTest.class.getResourceAsStream("/patterns/conformance.json")) {
      List<Case> cases = new ArrayList<>();
      for (JsonNode c : Json.MAPPER.readTree(in)) {
        cases.add(
            new Case(
                c.get("name").textValue(),
                Json.MAPPER.writeValueAsString(c.get("pattern")),
                Json.MAPPER.writeValueAsString(c.get("event")),
                c.get("matches").booleanValue()));
      }
      return List.copyOf(cases);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
