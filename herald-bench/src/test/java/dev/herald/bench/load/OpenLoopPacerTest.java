package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopPacerTest {

  /** A clock that only moves when the pacer sleeps, or when the test moves it. */
  private static final class FakeClock implements NanoClock, Sleeper {
    long now;
    final List<Long> sleeps = new ArrayList<>();

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleepNanos(long nanos) {
      sleeps.add(nanos);
      now += nanos;
    }
  }

  @Test
  void requestsAreDueAtFixedIntervalsFromTheStart() {
    FakeClock clock = new FakeClock();
    clock.now = 1_000;
    OpenLoopPacer pacer = new OpenLoopPacer(clock, clock, 1_000, 500); // one every 2 ms

    List<Long> intended = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      intended.add(pacer.awaitNext());
    }

    assertThat(intended).containsExactly(1_000L, 2_001_000L, 4_001_000L, 6_001_000L);
    assertThat(clock.now).isEqualTo(6_001_000L);
    assertThat(pacer.issued()).isEqualTo(4);
  }

  @Test
  void aLateSenderGetsTheIntendedTimesNotTheTimeItGotToSend() {
    FakeClock clock = new FakeClock();
    OpenLoopPacer pacer = new OpenLoopPacer(clock, clock, 0, 1_000); // one every 1 ms
    assertThat(pacer.awaitNext()).isEqualTo(0);

    clock.now = 5_500_000; // the sender stalled for 5.5 ms (say, a blocked request)

    assertThat(pacer.awaitNext()).isEqualTo(1_000_000);
    assertThat(pacer.awaitNext()).isEqualTo(2_000_000);
    assertThat(pacer.awaitNext()).isEqualTo(3_000_000);
    assertThat(pacer.awaitNext()).isEqualTo(4_000_000);
    assertThat(pacer.awaitNext()).isEqualTo(5_000_000);
    assertThat(clock.sleeps).isEmpty();
    assertThat(pacer.awaitNext()).isEqualTo(6_000_000); // back on schedule: waits again
    assertThat(clock.sleeps).containsExactly(500_000L);
  }

  @Test
  void intendedTimesDoNotDriftWhenTheIntervalIsNotWholeNanoseconds() {
    OpenLoopPacer pacer = new OpenLoopPacer(() -> 0, nanos -> {}, 0, 3); // every 333,333,333.3 ns

    assertThat(pacer.intendedNanos(1)).isEqualTo(333_333_333L);
    assertThat(pacer.intendedNanos(3)).isEqualTo(1_000_000_000L);
    assertThat(pacer.intendedNanos(3_000)).isEqualTo(1_000_000_000_000L);
  }

  @Test
  void rejectsARateThatIsNotPositive() {
    assertThatThrownBy(() -> new OpenLoopPacer(() -> 0, nanos -> {}, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rate");
  }
}
