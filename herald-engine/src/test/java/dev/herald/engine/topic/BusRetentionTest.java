package dev.herald.engine.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BusRetentionTest {

  @Test
  void zeroDaysKeepsTheArchiveForever() {
    assertThat(Topics.busRetention(0)).isEqualTo(Map.of("retention.ms", "-1"));
  }

  @Test
  void daysBecomeMilliseconds() {
    assertThat(Topics.busRetention(7)).isEqualTo(Map.of("retention.ms", "604800000"));
  }

  @Test
  void negativeDaysAreRefused() {
    assertThatThrownBy(() -> Topics.busRetention(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("archiveRetentionDays");
  }
}
