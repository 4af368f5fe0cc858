package dev.herald.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SpansTest {

  @Test
  void noValuesNoSpans() {
    assertThat(Spans.of(LongStream.empty(), 60)).isEmpty();
  }

  @Test
  void valuesWithinTheGapOfTheirNeighboursAreOneSpanWhateverTheOrder() {
    assertThat(Spans.of(LongStream.of(100, 0, 50, 110, 50), 60))
        .containsExactly(new Spans.Span(0, 110));
  }

  @Test
  void aDistanceOfMoreThanTheGapStartsANewSpan() {
    assertThat(Spans.of(LongStream.of(0, -3600, 1, 61, -3600, 122), 60))
        .containsExactly(
            new Spans.Span(-3600, -3600), new Spans.Span(0, 61), new Spans.Span(122, 122));
  }
}
