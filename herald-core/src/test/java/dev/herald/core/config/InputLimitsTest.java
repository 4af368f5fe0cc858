package dev.herald.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.event.Names;
import dev.herald.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Numbers, names and lists that bad input sends: refused with the field named, never wrapped. */
class InputLimitsTest {
  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text.replace('\'', '"'));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ConfigException.Invalid numberError(String value) {
    Body body = Body.of(json("{'timeoutMs': " + value + "}"), "");
    try {
      body.number("timeoutMs", 5000, 1, 900_000);
    } catch (ConfigException.Invalid e) {
      return e;
    }
    throw new AssertionError(value + " was accepted");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "18446744073709556616", // 2^64 + 5000: must not wrap to 5000
        "-18446744073709546616",
        "1e100", // must not be read as 0 or as Long.MAX_VALUE
        "-1e100",
        "5000.5",
        "'5000'",
        "true",
        "[5000]",
        "{}",
        "0",
        "900001"
      })
  void aNumberThatIsNotAWholeNumberInRangeIsRefusedNamingTheField(String value) {
    ConfigException.Invalid e = numberError(value);
    assertThat(e.field()).isEqualTo("timeoutMs");
    assertThat(e.getMessage()).contains("timeoutMs").contains("whole number from 1 to 900000");
  }

  @Test
  void wholeNumbersInRangeAreRead() {
    assertThat(Body.of(json("{'n': 5000}"), "").number("n", 0, 1, 900_000)).isEqualTo(5000);
    assertThat(Body.of(json("{'n': 5000.0}"), "").number("n", 0, 1, 900_000)).isEqualTo(5000);
    assertThat(Body.of(json("{'n': 5e3}"), "").number("n", 0, 1, 900_000)).isEqualTo(5000);
    assertThat(Body.of(json("{}"), "").number("n", 7, 1, 900_000)).isEqualTo(7);
  }

  @Test
  void targetIntegersPast2To64AreRefusedNotWrapped() {
    assertThatThrownBy(
            () ->
                TargetSpecs.parse("t", json("{'type': 'log', 'timeoutMs': 18446744073709556616}")))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("timeoutMs"));
    assertThatThrownBy(
            () ->
                TargetSpecs.parse(
                    "t", json("{'type': 'log', 'retry': {'maxAttempts': 18446744073709551624}}")))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> assertThat(e.field()).isEqualTo("retry.maxAttempts"));
  }

  @Test
  void aDecimalMustBeFinite() {
    assertThatThrownBy(() -> Body.of(json("{'d': 1e400}"), "").decimal("d", 1, 0, 1e300))
        .isInstanceOf(ConfigException.Invalid.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "..", "", "a/b", "%2e%2e"})
  void namesRefuseDotAndDotDotAndPathCharacters(String name) {
    assertThat(Names.isValid(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"...", ".a", "a..b", "orders.v2", "_", "-"})
  void namesWithDotsThatAreNotPathSegmentsAreFine(String name) {
    assertThat(Names.isValid(name)).isTrue();
  }

  @Test
  void busAndTargetNamedDotDotAreRefused() {
    assertThatThrownBy(() -> BusSpecs.parse("..", json("{}")))
        .isInstanceOf(ConfigException.Invalid.class);
    assertThatThrownBy(() -> TargetSpecs.parse(".", json("{'type': 'log'}")))
        .isInstanceOf(ConfigException.Invalid.class);
  }

  @Test
  void ruleTargetsOfTheWrongTypeAreRefusedNamingTheItem() {
    assertThatThrownBy(
            () ->
                RuleSpecs.parse(
                    "default", "r", json("{'pattern': {'source': ['a']}, 'targets': [5]}")))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("targets[0]"));
  }
}
