package dev.herald.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdaptiveLimitTest {
  private static final Duration FAST = Duration.ofMillis(50);

  private static void good(AdaptiveLimit limit, int calls) {
    for (int i = 0; i < calls; i++) {
      limit.onSample(FAST, true, true);
    }
  }

  @Test
  void startsAtEightBoundedByMax() {
    assertThat(new AdaptiveLimit(64).limit()).isEqualTo(8);
    assertThat(new AdaptiveLimit(3).limit()).isEqualTo(3);
  }

  @Test
  void growsByOneAfterAWindowOfStableSuccessesWithBacklog() {
    AdaptiveLimit limit = new AdaptiveLimit(64, 4, 2.0);
    good(limit, 3);
    assertThat(limit.limit()).isEqualTo(4);
    good(limit, 1);
    assertThat(limit.limit()).isEqualTo(5);
    good(limit, 5);
    assertThat(limit.limit()).isEqualTo(6);
  }

  @Test
  void doesNotGrowWithoutBacklog() {
    AdaptiveLimit limit = new AdaptiveLimit(64, 4, 2.0);
    for (int i = 0; i < 1000; i++) {
      limit.onSample(FAST, true, false);
    }
    assertThat(limit.limit()).isEqualTo(4);
  }

  @Test
  void shrinksByTenPercentOnFailureAtMostOncePerRound() {
    AdaptiveLimit limit = new AdaptiveLimit(64, 40, 2.0);
    limit.onSample(FAST, false, true);
    assertThat(limit.limit()).isEqualTo(36);
    for (int i = 0; i < 35; i++) {
      limit.onSample(FAST, false, true);
    }
    assertThat(limit.limit())
        .as("the calls of the same round report the same failure")
        .isEqualTo(36);
    limit.onSample(FAST, false, true);
    assertThat(limit.limit()).as("32.4, a round later").isEqualTo(32);
  }

  @Test
  void shrinksWhenRecentLatencyRisesAboveTheBaselineTimesTolerance() {
    AdaptiveLimit limit = new AdaptiveLimit(64, 20, 2.0);
    good(limit, 200);
    assertThat(limit.limit()).isGreaterThan(20);
    int before = limit.limit();
    for (int i = 0; i < 10; i++) {
      limit.onSample(Duration.ofMillis(500), true, true);
    }
    assertThat(limit.limit()).isLessThan(before);
  }

  @Test
  void singleSlowCallsAndSubMillisecondJitterAreNotCongestion() {
    AdaptiveLimit limit = new AdaptiveLimit(64, 10, 2.0);
    for (int i = 0; i < 3_000; i++) {
      long micros = i % 50 == 0 ? 10_000 : i % 2 == 0 ? 100 : 900;
      limit.onSample(Duration.ofNanos(micros * 1_000), true, true);
    }
    assertThat(limit.limit()).isEqualTo(64);
  }

  @Test
  void failureRestartsTheWindowOfSuccesses() {
    AdaptiveLimit limit = new AdaptiveLimit(64, 10, 2.0);
    good(limit, 9);
    limit.onSample(FAST, false, true);
    assertThat(limit.limit()).isEqualTo(9);
    good(limit, 8);
    assertThat(limit.limit()).isEqualTo(9);
    good(limit, 1);
    assertThat(limit.limit()).isEqualTo(10);
  }

  @Test
  void neverExceedsMax() {
    AdaptiveLimit limit = new AdaptiveLimit(5, 1, 2.0);
    good(limit, 10_000);
    assertThat(limit.limit()).isEqualTo(5);
  }

  @Test
  void neverDropsBelowOneAndRecovers() {
    AdaptiveLimit limit = new AdaptiveLimit(64, 64, 2.0);
    for (int i = 0; i < 1000; i++) {
      limit.onSample(Duration.ofSeconds(5), false, true);
    }
    assertThat(limit.limit()).isEqualTo(1);
    good(limit, 1);
    assertThat(limit.limit()).isEqualTo(2);
  }

  @Test
  void baselineIsTheLongTermAverageOfSuccessfulCalls() {
    AdaptiveLimit limit = new AdaptiveLimit(64);
    assertThat(limit.baseline()).isEmpty();
    limit.onSample(Duration.ofMillis(100), true, false);
    assertThat(limit.baseline()).contains(Duration.ofMillis(100));
    limit.onSample(Duration.ofMillis(200), true, false);
    assertThat(limit.baseline()).contains(Duration.ofMillis(101));
    limit.onSample(Duration.ofSeconds(9), false, false);
    assertThat(limit.baseline()).as("failures do not count").contains(Duration.ofMillis(101));
  }

  @Test
  void rejectsLimitsOutsideOneToMax() {
    assertThatThrownBy(() -> new AdaptiveLimit(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdaptiveLimit(4, 5, 2.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdaptiveLimit(4, 2, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCeilingCapsTheLimitAndItsGrowth() {
    AdaptiveLimit limit = new AdaptiveLimit(10, 8, 2.0);
    limit.ceiling(3);
    assertThat(limit.limit()).isEqualTo(3);
    for (int i = 0; i < 100; i++) {
      limit.onSample(java.time.Duration.ofMillis(5), true, true);
    }
    assertThat(limit.limit()).isEqualTo(3);
    limit.ceiling(10);
    for (int i = 0; i < 100; i++) {
      limit.onSample(java.time.Duration.ofMillis(5), true, true);
    }
    assertThat(limit.limit()).isEqualTo(10);
    assertThatThrownBy(() -> limit.ceiling(11))
        .hasMessageContaining("ceiling must be in [1, 10], was 11");
  }
}
