package dev.herald.server.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueueSignalsTest {
  @Test
  void anEnqueueWakesThePollersOfItsQueueOnlyAndCloseWakesAll() {
    QueueSignals signals = new QueueSignals();
    var jobs = signals.current("jobs");
    var other = signals.current("other");

    signals.signal("jobs");

    assertThat(jobs).isDone();
    assertThat(other).isNotDone();
    assertThat(signals.current("jobs")).isNotDone();
    signals.close();
    assertThat(other).isDone();
    assertThat(signals.current("jobs")).isDone();
  }
}
