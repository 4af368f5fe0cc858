package dev.herald.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionTrackerTest {
  private static final TopicPartition P0 = new TopicPartition("herald.target.t", 0);
  private static final TopicPartition P1 = new TopicPartition("herald.target.t", 1);
  private final PartitionTracker tracker = new PartitionTracker();

  @Test
  void commitsUpToTheLowestRecordNotFinished() {
    for (long offset = 10; offset < 15; offset++) {
      tracker.started(P0, offset);
    }
    tracker.finished(P0, 10);
    tracker.finished(P0, 12);
    tracker.finished(P0, 13);

    assertThat(tracker.committable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(11)));
    assertThat(tracker.inFlight(P0)).isEqualTo(2);
  }

  @Test
  void commitsPastTheLastRecordOnceEveryRecordFinished() {
    tracker.started(P0, 7);
    tracker.started(P0, 8);
    tracker.finished(P0, 8);
    tracker.finished(P0, 7);

    assertThat(tracker.committable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(9)));
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void offersAnOffsetOnlyUntilItIsCommitted() {
    tracker.started(P0, 0);
    tracker.finished(P0, 0);
    tracker.committed(tracker.committable());

    assertThat(tracker.committable()).isEmpty();
    assertThat(tracker.committedOffsets()).containsExactly(Map.entry(P0, 1L));

    tracker.started(P0, 1);
    assertThat(tracker.committable()).isEmpty(); // still 1: the record at 1 is in flight
    tracker.finished(P0, 1);
    assertThat(tracker.committable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(2)));
  }

  @Test
  void keepsPartitionsApartAndForgetsARevokedOne() {
    tracker.started(P0, 5);
    tracker.started(P1, 50);
    tracker.finished(P1, 50);

    assertThat(tracker.committable())
        .containsOnly(
            Map.entry(P0, new OffsetAndMetadata(5)), Map.entry(P1, new OffsetAndMetadata(51)));
    assertThat(tracker.inFlight()).isEqualTo(1);

    tracker.forget(P0);
    assertThat(tracker.owns(P0)).isFalse();
    assertThat(tracker.inFlight()).isZero();
    tracker.finished(P0, 5); // a late finish of a partition no longer owned changes nothing
    assertThat(tracker.committable()).containsOnlyKeys(P1);
  }
}
