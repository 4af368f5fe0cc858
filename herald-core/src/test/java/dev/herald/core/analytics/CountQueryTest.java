package dev.herald.core.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.analytics.CountQuery.GroupBy;
import dev.herald.core.analytics.CountQuery.Interval;
import dev.herald.core.config.ConfigException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parameters of {@code GET /v1/analytics/counts}: defaults, ranges and errors by field. */
class CountQueryTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:37:25Z");

  private static CountQuery parse(Map<String, String> parameters) {
    return CountQuery.parse(parameters, NOW);
  }

  private static void assertInvalid(Map<String, String> parameters, String field) {
    assertThatThrownBy(() -> parse(parameters))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void withNoParametersCountsTheLastHourPerMinuteByDetailTypeTopTen() {
    CountQuery query = parse(Map.of());

    assertThat(query)
        .isEqualTo(
            new CountQuery(
                Optional.empty(),
                GroupBy.DETAIL_TYPE,
                Interval.MINUTE,
                NOW.minusSeconds(3600),
                NOW,
                10));
    assertThat(query.toMinute() - query.fromMinute()).isEqualTo(60);
  }

  @Test
  void readsEveryParameter() {
    CountQuery query =
        parse(
            Map.of(
                "bus", "orders",
                "groupBy", "source",
                "interval", "1d",
                "from", "2026-11-01T00:00:00Z",
                "to", "2026-11-08T00:00:00Z",
                "top", "3"));

    assertThat(query)
        .isEqualTo(
            new CountQuery(
                Optional.of("orders"),
                GroupBy.SOURCE,
                Interval.DAY,
                Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-11-08T00:00:00Z"),
                3));
    assertThat(query.points()).isEqualTo(7);
  }

  @Test
  void fromDefaultsToAnHourBeforeTo() {
    CountQuery query = parse(Map.of("to", "2026-11-26T12:00:00Z"));

    assertThat(query.from()).isEqualTo(Instant.parse("2026-11-26T11:00:00Z"));
  }

  @Test
  void aMinuteIsInTheRangeWhenItsStartIs() {
    CountQuery query = parse(Map.of("from", "2026-11-26T10:00:30Z", "to", "2026-11-26T10:02:00Z"));

    assertThat(query.fromMinute() * 60)
        .isEqualTo(Instant.parse("2026-11-26T10:01:00Z").getEpochSecond());
    assertThat(query.toMinute() * 60)
        .isEqualTo(Instant.parse("2026-11-26T10:02:00Z").getEpochSecond());
  }

  @Test
  void pointsCountTheIntervalsTheRangeTouches() {
    assertThat(parse(Map.of("interval", "1h")).points()).isEqualTo(2); // 09:38..10:37
    assertThat(
            parse(
                    Map.of(
                        "interval",
                        "1h",
                        "from",
                        "2026-11-26T09:00:00Z",
                        "to",
                        "2026-11-26T10:00:00Z"))
                .points())
        .isEqualTo(1);
  }

  @Test
  void intervalsAreAlignedToUtcBeforeTheEpochToo() {
    assertThat(Interval.HOUR.bucketOf(-1)).isEqualTo(-60);
    assertThat(Interval.DAY.bucketOf(1441)).isEqualTo(1440);
  }

  @ParameterizedTest
  @CsvSource({
    "groupBy, type",
    "groupBy, detail-type",
    "interval, 5m",
    "interval, 1w",
    "from, yesterday",
    "to, 2026-11-26",
    "top, 0",
    "top, 101",
    "top, ten",
    "bus, no spaces",
    "limit, 10"
  })
  void aBadParameterIsNamed(String field, String value) {
    assertInvalid(Map.of(field, value), field);
  }

  @Test
  void anInvertedOrEmptyRangeNamesFrom() {
    assertInvalid(Map.of("from", "2026-11-26T11:00:00Z", "to", "2026-11-26T10:00:00Z"), "from");
    assertInvalid(Map.of("from", "2026-11-26T10:00:00Z", "to", "2026-11-26T10:00:00Z"), "from");
  }

  @Test
  void aRangeOfMoreThanTenThousandPointsNamesFrom() {
    // 10,000 minutes is fine, 10,001 is not
    assertThat(parse(Map.of("from", "2026-11-01T00:00:00Z", "to", "2026-11-07T22:40:00Z")).points())
        .isEqualTo(10_000);
    assertInvalid(Map.of("from", "2026-11-01T00:00:00Z", "to", "2026-11-07T22:41:00Z"), "from");
    // the same range is fine per hour
    assertThat(
            parse(
                    Map.of(
                        "from", "2026-11-01T00:00:00Z",
                        "to", "2026-11-07T22:41:00Z",
                        "interval", "1h"))
                .points())
        .isEqualTo(167);
  }

  @Test
  void offsetsAreAccepted() {
    assertThat(parse(Map.of("to", "2026-11-26T12:00:00+02:00")).to())
        .isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
  }
}
