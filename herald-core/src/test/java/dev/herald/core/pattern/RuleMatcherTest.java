package dev.herald.core.pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.json.Json;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.event.ruler.Machine;

class RuleMatcherTest {
  private static final int SOURCES = 100;
  private static final int DETAIL_TYPES = 20;

  private static String q(String text) {
    return text.replace('\'', '"');
  }

  private static CompiledPattern pattern(String json) {
    return PatternCompiler.compile(q(json));
  }

  private static String event(String source, String detailType, String detail) {
    return q(
        "{'version':'0','id':'e-1','detail-type':"
            + detailType
            + ",'source':"
            + source
            + ",'account':'000000000000','time':'2026-11-26T10:00:00Z','region':'local',"
            + "'resources':[],'detail':"
            + detail
            + "}");
  }

  private static String event(String source, String detailType) {
    return event("'" + source + "'", "'" + detailType + "'", "{'amount':10,'status':'ok'}");
  }

  @Test
  void indexedMatcherOf10000RulesOver100SourcesAgreesWithAPlainMachine() throws Exception {
    Random random = new Random(20261126L);
    Map<String, CompiledPattern> rules = new LinkedHashMap<>();
    Machine plain = Machine.builder().build();
    for (int i = 0; i < 10_000; i++) {
      String json = q(randomPattern(random));
      rules.put("rule-" + i, PatternCompiler.compile(json));
      plain.addRule("rule-" + i, json);
    }
    RuleMatcher matcher = RuleMatcher.of(rules);
    assertThat(matcher.size()).isEqualTo(10_000);

    int matched = 0;
    for (int i = 0; i < 2_000; i++) {
      String event = randomEvent(random);
      List<String> found = matcher.matches(event);
      assertThat(found).as(event).doesNotHaveDuplicates();
      assertThat(matcher.matches(Json.MAPPER.readTree(event))).as(event).isEqualTo(found);
      assertThat(new HashSet<>(found))
          .as(event)
          .isEqualTo(new HashSet<>(plain.rulesForJSONEvent(event)));
      matched += found.size();
    }
    assertThat(matched).as("the random events match some rules").isGreaterThan(1_000);
  }

  @Test
  void ruleWithOrOnSourceLivesInTheFallbackAndStillMatches() {
    RuleMatcher matcher =
        RuleMatcher.builder()
            .add("or", pattern("{'$or':[{'source':['svc-1']},{'detail-type':['Refund']}]}"))
            .add("exact", pattern("{'source':['svc-2']}"))
            .build();

    assertThat(matcher.matches(event("svc-1", "Order"))).containsExactly("or");
    assertThat(matcher.matches(event("svc-9", "Refund"))).containsExactly("or");
    assertThat(matcher.matches(event("svc-2", "Refund"))).containsExactlyInAnyOrder("or", "exact");
    assertThat(matcher.matches(event("svc-9", "Order"))).isEmpty();
  }

  @Test
  void ruleWithPrefixOnSourceLivesInTheFallbackAndStillMatches() {
    RuleMatcher matcher =
        RuleMatcher.builder()
            .add("prefix", pattern("{'source':[{'prefix':'shop.'}]}"))
            .add("exact", pattern("{'source':['shop.orders']}"))
            .build();

    assertThat(matcher.matches(event("shop.orders", "T")))
        .containsExactlyInAnyOrder("prefix", "exact");
    assertThat(matcher.matches(event("shop.payments", "T"))).containsExactly("prefix");
    assertThat(matcher.matches(event("billing", "T"))).isEmpty();
  }

  @Test
  void ruleListingSeveralSourcesMatchesEachOfThem() {
    RuleMatcher matcher =
        RuleMatcher.builder().add("both", pattern("{'source':['a','b']}")).build();

    assertThat(matcher.matches(event("a", "T"))).containsExactly("both");
    assertThat(matcher.matches(event("b", "T"))).containsExactly("both");
    assertThat(matcher.matches(event("c", "T"))).isEmpty();
  }

  @Test
  void eventWhoseSourceIsAnArrayMatchesARuleFiledUnderTwoOfItsValuesOnce() {
    RuleMatcher matcher =
        RuleMatcher.builder().add("both", pattern("{'source':['a','b']}")).build();

    assertThat(matcher.matches(event("['a','b']", "'T'", "{}"))).containsExactly("both");
  }

  @Test
  void ruleIndexedByDetailTypeMatchesWhateverTheSource() {
    RuleMatcher matcher =
        RuleMatcher.builder()
            .add("refunds", pattern("{'detail-type':['Refund'],'source':[{'prefix':'shop'}]}"))
            .build();

    assertThat(matcher.matches(event("shop.orders", "Refund"))).containsExactly("refunds");
    assertThat(matcher.matches(event("shop.orders", "Order"))).isEmpty();
    assertThat(matcher.matches(event("billing", "Refund"))).isEmpty();
  }

  @Test
  void numericSourceInTheEventFindsOnlyRulesThatAskForANumber() {
    RuleMatcher matcher =
        RuleMatcher.builder()
            .add("string", pattern("{'source':['5']}"))
            .add("number", pattern("{'source':[5]}"))
            .build();

    assertThat(matcher.matches(event("5", "'T'", "{}"))).containsExactly("number");
    assertThat(matcher.matches(event("'5'", "'T'", "{}"))).containsExactly("string");
  }

  @Test
  void eventWithoutSourceIsMatchedByTheFallbackOnly() {
    RuleMatcher matcher =
        RuleMatcher.builder()
            .add("exact", pattern("{'source':['a']}"))
            .add("no-source", pattern("{'source':[{'exists':false}]}"))
            .build();

    assertThat(matcher.matches(q("{'detail-type':'T','detail':{}}"))).containsExactly("no-source");
  }

  @Test
  void matchingDoesNotDependOnTheOrderOfEnvelopeFields() {
    RuleMatcher matcher =
        RuleMatcher.builder().add("r", pattern("{'source':['a'],'detail':{'x':[1]}}")).build();

    assertThat(matcher.matches(q("{'detail':{'x':1},'id':'1','source':'a'}"))).containsExactly("r");
  }

  @Test
  void parsedEnvelopeMatchesLikeItsText() throws Exception {
    RuleMatcher matcher =
        RuleMatcher.builder()
            .add("exact", pattern("{'source':['a'],'detail':{'n':[{'numeric':['>',1.5]}]}}"))
            .add("fallback", pattern("{'detail':{'n':[2.25]}}"))
            .build();
    String event = q("{'source':'a','detail-type':'T','detail':{'n':2.25}}");

    assertThat(matcher.matches(Json.MAPPER.readTree(event)))
        .containsExactlyInAnyOrder("exact", "fallback")
        .containsExactlyInAnyOrderElementsOf(matcher.matches(event));
  }

  @Test
  void rejectsAnEventThatRepeatsAKey() {
    RuleMatcher matcher = RuleMatcher.builder().add("r", pattern("{'source':['a']}")).build();

    assertThatThrownBy(() -> matcher.matches(q("{'source':'a','source':'b'}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rebuildReusesTheMachinesOfUnchangedBucketsAndLeavesTheOldMatcherAsItWas() {
    RuleMatcher before =
        RuleMatcher.builder()
            .add("a1", pattern("{'source':['a']}"))
            .add("b1", pattern("{'source':['b'],'detail-type':['Old']}"))
            .add("any", pattern("{'detail-type':[{'prefix':'O'}]}"))
            .build();

    RuleMatcher after =
        RuleMatcher.builder()
            .replacing(before)
            .add("a1", pattern("{'source':['a']}"))
            .add("b1", pattern("{'source':['b'],'detail-type':['New']}"))
            .add("any", pattern("{'detail-type':[{'prefix':'O'}]}"))
            .build();

    IndexedRuleMatcher old = (IndexedRuleMatcher) before;
    IndexedRuleMatcher rebuilt = (IndexedRuleMatcher) after;
    assertThat(rebuilt.sourceMachine("a")).isSameAs(old.sourceMachine("a"));
    assertThat(rebuilt.sourceMachine("b")).isNotSameAs(old.sourceMachine("b"));
    assertThat(after.matches(event("b", "New"))).containsExactly("b1");
    assertThat(after.matches(event("b", "Old"))).containsExactly("any");
    assertThat(before.matches(event("b", "Old"))).containsExactlyInAnyOrder("b1", "any");
    assertThat(after.matches(event("a", "T"))).containsExactly("a1");
  }

  @Test
  void rebuildWithoutARuleNoLongerMatchesIt() {
    RuleMatcher before =
        RuleMatcher.builder()
            .add("a1", pattern("{'source':['a']}"))
            .add("a2", pattern("{'source':['a'],'detail-type':['T']}"))
            .build();

    RuleMatcher after =
        RuleMatcher.builder().replacing(before).add("a1", pattern("{'source':['a']}")).build();

    assertThat(after.matches(event("a", "T"))).containsExactly("a1");
    assertThat(after.size()).isEqualTo(1);
  }

  @Test
  void emptyMatcherMatchesNothing() {
    RuleMatcher matcher = RuleMatcher.builder().build();

    assertThat(matcher.size()).isZero();
    assertThat(matcher.matches(event("a", "T"))).isEmpty();
  }

  @Test
  void singlePatternCheckAnswersTestPattern() {
    CompiledPattern orders =
        pattern("{'source':['shop.orders'],'detail':{'amount':[{'numeric':['>',5]}]}}");

    assertThat(RuleMatcher.matches(orders, event("shop.orders", "T"))).isTrue();
    assertThat(RuleMatcher.matches(orders, event("shop.payments", "T"))).isFalse();
  }

  @Test
  void rejectsTheSameRuleIdTwice() {
    RuleMatcher.Builder builder = RuleMatcher.builder().add("r", pattern("{'source':['a']}"));

    assertThatThrownBy(() -> builder.add("r", pattern("{'source':['b']}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"r\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "[1,2]", "{'source':", "'a'"})
  void rejectsAnEventThatIsNotAJsonObject(String event) {
    RuleMatcher indexed = RuleMatcher.builder().add("r", pattern("{'source':['a']}")).build();
    RuleMatcher fallbackOnly =
        RuleMatcher.builder().add("r", pattern("{'source':[{'prefix':'a'}]}")).build();

    assertThatThrownBy(() -> indexed.matches(q(event)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fallbackOnly.matches(q(event)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * A random rule of one of the shapes rule sets are made of. Numeric ranges are few and mostly
   * bounded: event-ruler's cost of adding one-sided ranges on one field grows with the square of
   * their number, which would make the plain machine of this test take minutes to build.
   */
  private static String randomPattern(Random random) {
    String source = "'svc-" + random.nextInt(SOURCES) + "'";
    String other = "'svc-" + random.nextInt(SOURCES) + "'";
    String type = "'Type" + random.nextInt(DETAIL_TYPES) + "'";
    String status = random.nextBoolean() ? "'ok'" : "'fail'";
    int low = random.nextInt(1000);
    int kind = random.nextInt(200);
    if (kind < 80) {
      return "{'source':[" + source + "],'detail-type':[" + type + "]}";
    } else if (kind < 120) {
      return "{'source':[" + source + "," + other + "],'detail':{'status':[" + status + "]}}";
    } else if (kind < 150) {
      return "{'source':["
          + source
          + "],'detail':{'status':[{'anything-but':'ok'}],"
          + "'region':[{'exists':"
          + random.nextBoolean()
          + "}]}}";
    } else if (kind < 160) {
      return "{'source':["
          + source
          + "],'detail':{'amount':[{'numeric':['>=',"
          + low
          + ",'<',"
          + (low + 100)
          + "]}]}}";
    } else if (kind < 161) {
      return "{'source':[" + source + "],'detail':{'amount':[{'numeric':['>'," + low + "]}]}}";
    } else if (kind < 171) {
      return "{'source':[{'prefix':'svc-"
          + random.nextInt(10)
          + "'}],'detail-type':["
          + type
          + "]}";
    } else if (kind < 175) {
      return "{'$or':[{'source':["
          + source
          + "]},{'detail-type':["
          + type
          + "]}],"
          + "'detail':{'amount':["
          + low
          + ","
          + (low + 1)
          + "]}}";
    } else if (kind < 179) {
      return "{'source':[{'wildcard':'svc-"
          + random.nextInt(10)
          + "*'}],'detail':{'status':['fail']}}";
    } else if (kind < 189) {
      return "{'detail-type':[" + type + "],'detail':{'status':[{'equals-ignore-case':'OK'}]}}";
    }
    return "{'source':[" + source + "],'detail':{'status':[{'suffix':'ail'}]}}";
  }

  private static String randomEvent(Random random) {
    int pick = random.nextInt(SOURCES + 10);
    String source =
        pick < SOURCES
            ? "'svc-" + pick + "'"
            : pick < SOURCES + 5
                ? "'elsewhere'"
                : "['svc-" + random.nextInt(SOURCES) + "','svc-" + random.nextInt(SOURCES) + "']";
    String type = "'Type" + random.nextInt(DETAIL_TYPES + 2) + "'";
    String status = List.of("ok", "fail", "pending", "OK").get(random.nextInt(4));
    String region = random.nextBoolean() ? ",'region':'eu'" : "";
    String detail =
        "{'amount':" + random.nextInt(1000) + ",'status':'" + status + "'" + region + "}";
    return event(source, type, detail);
  }
}
