package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatTest {

  @Test
  void addsUserAndSystemTicksEvenWhenTheCommandNameHoldsSpacesAndParentheses() {
    String stat =
        "2973 (beam.smp (x) y) S 1 2973 2973 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 30 0 99 0";

    assertThat(ProcStat.ticks(stat)).isEqualTo(1234 + 567);
  }

  @Test
  void refusesALineThatIsNotAStatLine() {
    assertThatThrownBy(() -> ProcStat.ticks("no parenthesis")).hasMessageStartingWith("stat: ");
  }

  @Test
  void readsThisProcess() throws Exception {
    long spin = System.nanoTime() + 300_000_000L;
    double x = 0;
    while (System.nanoTime() < spin) {
      x += Math.sqrt(x + 1);
    }
    assertThat(x).isPositive();
    assertThat(ProcStat.cpuNanos(ProcessHandle.current().pid())).isPositive();
  }
}
