package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TallyTest {

  private static final long MS = 1_000_000;

  @Test
  void countsOnlyRequestsThatStartInTheMeasuredWindow() {
    Tally tally = new Tally(Window.of(0, Duration.ofSeconds(1), Duration.ofSeconds(2)));

    tally.record(500 * MS, 600 * MS, new Outcome.Answered(10, 0, Map.of())); // warm-up
    tally.record(
        1_000 * MS, 1_004 * MS, new Outcome.Answered(8, 2, Map.of("EngineUnavailable", 2)));
    tally.record(2_999 * MS, 3_200 * MS, new Outcome.HttpError(503)); // ends after the window
    tally.record(3_000 * MS, 3_001 * MS, new Outcome.Answered(10, 0, Map.of())); // too late

    Tally.Result r = tally.result();
    assertThat(r.requests()).isEqualTo(2);
    assertThat(r.acceptedEvents()).isEqualTo(8);
    assertThat(r.failedEntries()).isEqualTo(2);
    assertThat(r.httpErrors()).isEqualTo(1);
    assertThat(r.errors())
        .containsEntry("entry:EngineUnavailable", 2L)
        .containsEntry("http:503", 1L);
    assertThat(r.eventsPerSecond()).isEqualTo(4.0);
    assertThat(r.maxLatencyMillis())
        .isCloseTo(200.0, org.assertj.core.data.Percentage.withPercentage(1));
  }
}
