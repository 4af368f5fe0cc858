package dev.herald.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnalyticsSettingsTest {

  @Test
  void withoutARetentionRawRowsAreKeptForever() {
    assertThat(AnalyticsSettings.retention(Map.of())).isEmpty();
    assertThat(AnalyticsSettings.retention(Map.of(AnalyticsSettings.RETENTION_DAYS, " ")))
        .isEmpty();
  }

  @Test
  void aRetentionIsANumberOfDays() {
    assertThat(AnalyticsSettings.retention(Map.of(AnalyticsSettings.RETENTION_DAYS, " 30 ")))
        .contains(Duration.ofDays(30));
  }

  @ParameterizedTest
  @ValueSource(strings = {"14", "0", "-1", "36501", "30d", "forever"})
  void aRetentionShorterThanARedeliveryOrNotADayCountIsRefusedNamingTheVariable(String days) {
    assertThatThrownBy(
            () -> AnalyticsSettings.retention(Map.of(AnalyticsSettings.RETENTION_DAYS, days)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("HERALD_ANALYTICS_RETENTION_DAYS must be")
        .hasMessageContaining(days);
  }

  @Test
  void theShortestRetentionOutlivesTheLongestRedelivery() {
    assertThat(AnalyticsSettings.MIN_RETENTION_DAYS).isEqualTo(15);
  }
}
