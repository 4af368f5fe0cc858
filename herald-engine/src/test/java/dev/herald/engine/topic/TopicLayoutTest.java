package dev.herald.engine.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicLayoutTest {

  @Test
  void replicatesThreeTimesWithTwoInSyncOnAClusterOfThreeOrMore() {
    TopicLayout layout = TopicLayout.of(12);
    assertThat(layout.replicationOn(3)).isEqualTo(3);
    assertThat(layout.replicationOn(5)).isEqualTo(3);
    assertThat(layout.minInsyncReplicasFor(3)).isEqualTo(2);
  }

  @Test
  void replicatesOnceOnASingleBroker() {
    TopicLayout layout = TopicLayout.of(4);
    assertThat(layout.replicationOn(1)).isEqualTo(1);
    assertThat(layout.minInsyncReplicasFor(1)).isEqualTo(1);
  }

  @Test
  void refusesMoreReplicasThanBrokersNamingTheSetting() {
    TopicLayout layout = new TopicLayout(12, 6, Optional.of(3), Optional.empty());
    assertThatThrownBy(() -> layout.replicationOn(2))
        .isInstanceOf(TopicLayout.TopicLayoutException.class)
        .hasMessageContaining("HERALD_REPLICATION_FACTOR=3")
        .hasMessageContaining("2 broker(s)");
  }

  @Test
  void refusesMoreInSyncReplicasThanTheClusterGives() {
    TopicLayout layout = new TopicLayout(12, 6, Optional.empty(), Optional.of(2));
    assertThat(layout.replicationOn(3)).isEqualTo(3);
    assertThatThrownBy(() -> layout.replicationOn(1))
        .isInstanceOf(TopicLayout.TopicLayoutException.class)
        .hasMessageContaining("HERALD_MIN_INSYNC_REPLICAS=2");
  }

  @Test
  void refusesOutOfRangeValues() {
    assertThatThrownBy(() -> TopicLayout.of(0)).hasMessageContaining("bus partitions");
    assertThatThrownBy(() -> new TopicLayout(4, 2000, Optional.empty(), Optional.empty()))
        .hasMessageContaining("target partitions must be between 1 and 1024, got 2000");
    assertThatThrownBy(() -> new TopicLayout(4, 4, Optional.of(2), Optional.of(3)))
        .hasMessageContaining("min in-sync replicas must be between 1 and 2, got 3");
  }
}
