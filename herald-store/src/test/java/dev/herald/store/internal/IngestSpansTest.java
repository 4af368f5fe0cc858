package dev.herald.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.store.AnalyticsRow;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class IngestSpansTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private static List<AnalyticsRow> ingestedAt(Instant... times) {
    return Stream.of(times)
        .map(t -> new AnalyticsRow("k" + t, "E", "default", "s", "T", t, t, t, "{}"))
        .toList();
  }

  @Test
  void noRowsNoSpans() {
    assertThat(IngestSpans.of(List.of())).isEmpty();
  }

  @Test
  void timesWithinAMinuteOfTheirNeighboursAreOneSpanWhateverTheOrder() {
    assertThat(
            IngestSpans.of(
                ingestedAt(T0.plusSeconds(100), T0, T0.plusSeconds(50), T0.plusSeconds(110))))
        .containsExactly(new IngestSpans.Span(T0, T0.plusSeconds(110)));
  }

  @Test
  void aGapOfMoreThanAMinuteStartsANewSpan() {
    Instant hourAgo = T0.minusSeconds(3600);
    assertThat(
            IngestSpans.of(ingestedAt(T0, hourAgo, T0.plusSeconds(1), T0.plusSeconds(61), hourAgo)))
        .containsExactly(
            new IngestSpans.Span(hourAgo, hourAgo), new IngestSpans.Span(T0, T0.plusSeconds(61)));
  }
}
