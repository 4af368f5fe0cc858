package dev.herald.core.pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.herald.api.PermanentException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PatternCompilerTest {

  private static String q(String text) {
    return text.replace('\'', '"');
  }

  private static InvalidPatternException rejection(String pattern) {
    return catchThrowableOfType(
        InvalidPatternException.class, () -> PatternCompiler.compile(q(pattern)));
  }

  @Test
  void compilesAValidPatternToItsCanonicalText() {
    CompiledPattern pattern =
        PatternCompiler.compile(
            q(
                "{ 'source': ['shop.orders'],\n  'detail': { 'total': [{'numeric': ['>', 100]}] } }"));

    assertThat(pattern.json())
        .isEqualTo(q("{'detail':{'total':[{'numeric':['>',100]}]},'source':['shop.orders']}"));
  }

  @Test
  void patternsWrittenDifferentlyButMeaningTheSameAreEqualValues() {
    CompiledPattern a = PatternCompiler.compile(q("{'source':['s'],'detail-type':['T']}"));
    CompiledPattern b =
        PatternCompiler.compile(q("{ 'detail-type' : ['T'] ,\n 'source' : ['s'] }"));

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.toString()).isEqualTo(b.json());
  }

  @Test
  void canonicalTextKeepsNumbersAsWritten() {
    CompiledPattern pattern =
        PatternCompiler.compile(q("{'detail':{'n':[1e3, 1.50, -0.0, 12345678901234567890]}}"));

    assertThat(pattern.json())
        .isEqualTo(q("{'detail':{'n':[1e3,1.50,-0.0,12345678901234567890]}}"));
  }

  @Test
  void invalidPatternIsAPermanentFailureWithItsApiCode() {
    InvalidPatternException e = rejection("{'source':[{'foo':1}]}");

    assertThat(e).isInstanceOf(PermanentException.class);
    assertThat(e.retryable()).isFalse();
    assertThat(InvalidPatternException.CODE).isEqualTo("InvalidPattern");
  }

  @Test
  void rejectsInvalidJsonSayingWhere() {
    InvalidPatternException e = rejection("{'source': ['a'");

    assertThat(e).hasMessageContaining("not valid JSON").hasMessageContaining("line 1, column");
    assertThat(e.field()).contains("source[0]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"['source']", "'source'", "42", "true", "null"})
  void rejectsAPatternThatIsNotAnObject(String pattern) {
    assertThat(rejection(pattern)).hasMessageStartingWith("pattern must be a JSON object, not ");
  }

  @Test
  void rejectsAnEmptyText() {
    assertThat(rejection("  ")).hasMessageContaining("pattern is empty");
  }

  @Test
  void rejectsAnEmptyObject() {
    assertThat(rejection("{}")).hasMessageContaining("Empty objects are not allowed");
  }

  @Test
  void rejectsAnUnknownOperatorNamingItAndTheField() {
    InvalidPatternException e = rejection("{'detail':{'state':[{'startsWith':'run'}]}}");

    assertThat(e).hasMessageContaining("unknown operator \"startsWith\"");
    assertThat(e).hasMessageContaining("prefix").hasMessageContaining("(at detail.state[0]");
    assertThat(e.field()).contains("detail.state[0].startsWith");
  }

  @Test
  void rejectsANumericRangeWithANonNumber() {
    InvalidPatternException e = rejection("{'detail':{'total':[{'numeric':['>','ten']}]}}");

    assertThat(e).hasMessageContaining("Value of > must be numeric");
    assertThat(e.field()).contains("detail.total[0].numeric[1]");
  }

  @Test
  void rejectsAnUnknownNumericOperator() {
    InvalidPatternException e = rejection("{'detail':{'total':[{'numeric':['~',10]}]}}");

    assertThat(e).hasMessageContaining("Unrecognized numeric range operator: ~");
    assertThat(e.field()).contains("detail.total[0].numeric[1]");
  }

  @Test
  void rejectsANumericRangeWhoseBottomIsAboveItsTop() {
    assertThat(rejection("{'detail':{'n':[{'numeric':['>',10,'<',5]}]}}"))
        .hasMessageContaining("Bottom must be less than top");
  }

  @Test
  void rejectsAValueThatIsNotInAList() {
    InvalidPatternException e = rejection("{'source':'shop.orders'}");

    assertThat(e).hasMessageContaining("must be an object or an array");
  }

  @Test
  void rejectsAnEmptyValueList() {
    assertThat(rejection("{'source':[]}")).hasMessageContaining("Empty arrays are not allowed");
  }

  @Test
  void rejectsDuplicateKeysNamingThem() {
    InvalidPatternException e = rejection("{'detail':{'state':['a'],'state':['b']}}");

    assertThat(e).hasMessageContaining("field \"state\" appears twice");
    assertThat(e.field()).contains("detail.state");
  }

  @Test
  void rejectsContentAfterThePattern() {
    assertThat(rejection("{'source':['a']} {'source':['b']}"))
        .hasMessageContaining("unexpected content after the pattern");
  }

  @Test
  void rejectsAMalformedCidrNamingTheField() {
    InvalidPatternException e = rejection("{'detail':{'ip':[{'cidr':'10.0.0.0/33'}]}}");

    assertThat(e).hasMessageContaining("mask bits");
    assertThat(e.field()).contains("detail.ip[0].cidr");
  }

  @Test
  void rejectsACidrWithAFullMaskAsEventRulerDoes() {
    assertThat(rejection("{'detail':{'ip':[{'cidr':'10.0.0.1/32'}]}}"))
        .hasMessageContaining("IPv4 mask bits must be < 32");
    assertThat(rejection("{'detail':{'ip':[{'cidr':'2001:db8::1/128'}]}}"))
        .hasMessageContaining("IPv6 mask bits must be < 128");
  }

  @Test
  void rejectsConsecutiveWildcards() {
    InvalidPatternException e = rejection("{'source':[{'wildcard':'a**b'}]}");

    assertThat(e).hasMessageContaining("Consecutive wildcard characters");
    assertThat(e.field()).contains("source[0].wildcard");
  }

  @Test
  void rejectsAnOrWithASingleBranch() {
    assertThat(rejection("{'$or':[{'source':['a']}]}"))
        .hasMessageContaining("at least 2 Objects in $or");
  }

  @Test
  void rejectsAnUnknownOperatorInsideAnOrBranchNamingTheBranch() {
    InvalidPatternException e =
        rejection("{'$or':[{'source':['a']},{'detail':{'x':[{'nope':1}]}}]}");

    assertThat(e.field()).contains("$or[1].detail.x[0].nope");
  }

  @Test
  void rejectsAPatternOverTheSizeLimit() {
    String values =
        IntStream.range(0, 400).mapToObj(i -> "'value-" + i + "'").collect(Collectors.joining(","));
    String pattern = "{'source':[" + values + "]}";

    InvalidPatternException e = rejection(pattern);

    assertThat(e)
        .hasMessageContaining("characters long")
        .hasMessageContaining("limit is " + PatternCompiler.MAX_PATTERN_CHARS);
    assertThat(e.field()).isEmpty();
  }

  @Test
  void acceptsAnIndentedPatternWhoseCanonicalTextIsWithinTheSizeLimit() {
    String values =
        IntStream.range(0, 400)
            .mapToObj(i -> "'v" + i + "'")
            .collect(Collectors.joining(",\n    "));
    String pattern = "{\n  'source': [\n    " + values + "\n  ]\n}";
    assertThat(pattern.length()).isGreaterThan(PatternCompiler.MAX_PATTERN_CHARS);

    assertThat(PatternCompiler.compile(q(pattern)).json().length())
        .isLessThanOrEqualTo(PatternCompiler.MAX_PATTERN_CHARS);
  }

  @Test
  void rejectsAHugeTextBeforeReadingIt() {
    String pattern = "{'source':['a']" + " ".repeat(PatternCompiler.MAX_PATTERN_TEXT_CHARS) + "}";

    assertThat(rejection(pattern)).hasMessageContaining("pattern text is");
  }

  @Test
  void rejectsAPathologicalWildcardPatternOverTheComplexityLimit() {
    String wildcards =
        IntStream.range(0, 20)
            .mapToObj(i -> "{'wildcard':'*a*b*c*d*e*f*g*" + i + "'}")
            .collect(Collectors.joining(","));

    InvalidPatternException e = rejection("{'source':[" + wildcards + "]}");

    assertThat(e)
        .hasMessageContaining("too complex")
        .hasMessageContaining("over " + PatternCompiler.MAX_COMPLEXITY);
    assertThat(e.field()).contains("source");
  }

  @Test
  void rejectsTheSameWildcardTwiceOverTheComplexityLimit() {
    InvalidPatternException e =
        rejection(
            "{'detail':{'ua':[{'wildcard':'*a*b*c*d*e*f*g*'},{'wildcard':'*a*b*c*d*e*f*g*h*'}]}}");

    assertThat(e).hasMessageContaining("too complex");
    assertThat(e.field()).contains("detail.ua");
  }

  @Test
  void rejectsComplexWildcardsSpreadOverOrBranchesNamingTheWorstBranch() {
    InvalidPatternException e =
        rejection(
            "{'$or':[{'ua':[{'wildcard':'*a*b*c*d*e*f*g*'}]},"
                + "{'ua':[{'wildcard':'*a*b*c*d*e*f*g*h*'}]}]}");

    assertThat(e).hasMessageContaining("too complex");
    assertThat(e.field()).contains("$or[1].ua");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{'source':[{'wildcard':'shop.*'}]}",
        "{'resources':[{'wildcard':'arn:aws:ec2:*:*:instance/*'}]}",
        "{'resources':[{'wildcard':'arn:aws:*:*:*:*'}]}",
        "{'detail':{'key':[{'wildcard':'*.png'},{'wildcard':'*.jpg'},{'wildcard':'*.gif'},"
            + "{'wildcard':'*.webp'},{'wildcard':'*.svg'}]}}",
        "{'detail':{'path':[{'wildcard':'/api/*/orders/*'}],'host':[{'wildcard':'*.example.com'}],"
            + "'ua':[{'wildcard':'*Mozilla*'}]}}",
        "{'detail':{'ua':[{'wildcard':'*Mozilla*'},{'wildcard':'*Chrome*'},"
            + "{'wildcard':'*Safari*'},{'wildcard':'*Edge*'}]}}",
        "{'detail':{'ua':[{'anything-but':{'wildcard':['*bot*','*crawler*']}}]}}",
        "{'source':[{'wildcard':'*a*b*c*d*e*f*g*'}]}"
      })
  void acceptsOrdinaryPatternsWithAFewWildcards(String pattern) {
    assertThat(PatternCompiler.compile(q(pattern)).json()).isNotEmpty();
  }

  @Test
  void findsTheExactSourceAndDetailTypeValuesForIndexing() {
    CompiledPattern pattern =
        PatternCompiler.compile(q("{'source':['a','b'],'detail-type':['T'],'detail':{'x':[1]}}"));

    assertThat(pattern.exactSources()).containsExactlyInAnyOrder("a", "b");
    assertThat(pattern.exactDetailTypes()).containsExactly("T");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{'source':[{'prefix':'a'}]}",
        "{'source':['a',{'prefix':'b'}]}",
        "{'source':['a',5]}",
        "{'source':['a',null]}",
        "{'$or':[{'source':['a']},{'source':['b']}]}",
        "{'source':['a'],'$or':[{'source':['b']},{'detail':{'x':[1]}}]}",
        "{'source':['a'],'$or':[{'detail':{'x':[1]}},{'detail':{'source':['b']}}]}",
        "{'detail':{'source':['a']}}"
      })
  void doesNotIndexSourceConstrainedOtherwiseThanByPlainStrings(String pattern) {
    assertThat(PatternCompiler.compile(q(pattern)).exactSources()).isEmpty();
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> PatternCompiler.compile(null))
        .isInstanceOf(NullPointerException.class);
  }
}
