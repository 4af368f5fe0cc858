package dev.herald.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.config.TargetSpec.RetryPolicy;
import dev.herald.core.delivery.RetryDecision.DeadLetter;
import dev.herald.core.delivery.RetryDecision.Decision;
import dev.herald.core.delivery.RetryDecision.Failure;
import dev.herald.core.delivery.RetryDecision.RetryAt;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryDecisionTest {
  private static final RetryPolicy DEFAULTS = new RetryPolicy(8, 86_400, 1000, 2.0, 3_600_000);
  private static final Instant INGESTED = Instant.parse("2026-11-26T10:00:00Z");
  private static final Instant NOW = INGESTED.plusSeconds(10);
  private static final Failure UNAVAILABLE = Failure.retryable("HttpStatus503");

  /** Always draws the top of the range. */
  private static final RandomGenerator HIGHEST =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          return 0;
        }

        @Override
        public long nextLong(long origin, long bound) {
          return bound - 1;
        }
      };

  /** Always draws the bottom of the range. */
  private static final RandomGenerator LOWEST =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          return 0;
        }

        @Override
        public long nextLong(long origin, long bound) {
          return origin;
        }
      };

  private static Duration delay(Decision decision) {
    assertThat(decision).isInstanceOf(RetryAt.class);
    return Duration.between(NOW, ((RetryAt) decision).due());
  }

  @Test
  void backoffCeilingGrowsExponentiallyPerAttemptUpToTheCap() {
    assertThat(RetryDecision.backoffCeilingMs(DEFAULTS, 1)).isEqualTo(1000);
    assertThat(RetryDecision.backoffCeilingMs(DEFAULTS, 2)).isEqualTo(2000);
    assertThat(RetryDecision.backoffCeilingMs(DEFAULTS, 3)).isEqualTo(4000);
    assertThat(RetryDecision.backoffCeilingMs(DEFAULTS, 12)).isEqualTo(2_048_000);
    assertThat(RetryDecision.backoffCeilingMs(DEFAULTS, 13)).isEqualTo(3_600_000);
    assertThat(RetryDecision.backoffCeilingMs(DEFAULTS, 10_000)).isEqualTo(3_600_000);
  }

  @Test
  void delayReachesTheCeilingOfEachAttemptButNeverMore() {
    RetryPolicy many = new RetryPolicy(100, 14 * 86_400, 1000, 2.0, 3_600_000);
    for (int attempt = 1; attempt < 20; attempt++) {
      Decision d = RetryDecision.decide(many, attempt, INGESTED, NOW, UNAVAILABLE, HIGHEST);
      assertThat(delay(d).toMillis()).isEqualTo(Math.min(3_600_000, 1000L << (attempt - 1)));
    }
  }

  @Test
  void fullJitterCanDrawZero() {
    Decision d = RetryDecision.decide(DEFAULTS, 5, INGESTED, NOW, UNAVAILABLE, LOWEST);
    assertThat(d).isEqualTo(new RetryAt(NOW));
  }

  @Test
  void fullJitterSpreadsDelaysOverTheWholeRange() {
    Random random = new Random(42);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 10_000; i++) {
      long ms =
          delay(RetryDecision.decide(DEFAULTS, 3, INGESTED, NOW, UNAVAILABLE, random)).toMillis();
      assertThat(ms).isBetween(0L, 4000L);
      min = Math.min(min, ms);
      max = Math.max(max, ms);
    }
    assertThat(min).isLessThan(100);
    assertThat(max).isGreaterThan(3900);
  }

  @Test
  void retryAfterLongerThanTheJitteredDelayIsHonoured() {
    Failure throttled = Failure.retryable("HttpStatus429", Duration.ofMinutes(2));
    Decision d = RetryDecision.decide(DEFAULTS, 1, INGESTED, NOW, throttled, HIGHEST);
    assertThat(delay(d)).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void jitteredDelayLongerThanRetryAfterWins() {
    Failure throttled = Failure.retryable("HttpStatus429", Duration.ofMillis(10));
    Decision d = RetryDecision.decide(DEFAULTS, 3, INGESTED, NOW, throttled, HIGHEST);
    assertThat(delay(d)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void retryAfterIsCappedAtTheLongerOfMaxBackoffAndAnHour() {
    Failure greedy = Failure.retryable("HttpStatus503", Duration.ofDays(3));
    RetryPolicy longAge = new RetryPolicy(8, 14 * 86_400, 1000, 2.0, 3_600_000);
    assertThat(delay(RetryDecision.decide(longAge, 1, INGESTED, NOW, greedy, LOWEST)))
        .isEqualTo(Duration.ofHours(1));
    RetryPolicy shortBackoff = new RetryPolicy(8, 14 * 86_400, 100, 2.0, 1000);
    assertThat(delay(RetryDecision.decide(shortBackoff, 1, INGESTED, NOW, greedy, LOWEST)))
        .isEqualTo(Duration.ofHours(1));
    RetryPolicy longBackoff = new RetryPolicy(8, 14 * 86_400, 1000, 2.0, 7_200_000);
    assertThat(delay(RetryDecision.decide(longBackoff, 1, INGESTED, NOW, greedy, LOWEST)))
        .isEqualTo(Duration.ofHours(2));
  }

  @Test
  void retriesThenDeadLettersAfterMaxAttemptsWithTheLastErrorCode() {
    for (int attempt = 1; attempt < 8; attempt++) {
      assertThat(RetryDecision.decide(DEFAULTS, attempt, INGESTED, NOW, UNAVAILABLE, LOWEST))
          .isInstanceOf(RetryAt.class);
    }
    Decision last =
        RetryDecision.decide(DEFAULTS, 8, INGESTED, NOW, Failure.retryable("Timeout"), LOWEST);
    assertThat(last).isInstanceOf(DeadLetter.class);
    assertThat(((DeadLetter) last).code()).isEqualTo("Timeout");
    assertThat(((DeadLetter) last).message()).contains("8 attempts");
  }

  @Test
  void singleAttemptPolicyDeadLettersOnTheFirstFailure() {
    RetryPolicy once = new RetryPolicy(1, 86_400, 1000, 2.0, 3_600_000);
    assertThat(RetryDecision.decide(once, 1, INGESTED, NOW, UNAVAILABLE, LOWEST))
        .isInstanceOf(DeadLetter.class);
  }

  @Test
  void permanentFailureDeadLettersAtOnceWithItsCode() {
    Decision d =
        RetryDecision.decide(
            DEFAULTS, 1, INGESTED, NOW, Failure.permanent("HttpStatus400"), LOWEST);
    assertThat(d).isInstanceOf(DeadLetter.class);
    assertThat(((DeadLetter) d).code()).isEqualTo("HttpStatus400");
  }

  @Test
  void retryDuePastMaxEventAgeIsMaxEventAgeExceeded() {
    RetryPolicy hour = new RetryPolicy(8, 3600, 1000, 2.0, 3_600_000);
    Instant late = INGESTED.plusSeconds(3599);
    Decision d = RetryDecision.decide(hour, 2, INGESTED, late, UNAVAILABLE, HIGHEST);
    assertThat(d).isInstanceOf(DeadLetter.class);
    assertThat(((DeadLetter) d).code()).isEqualTo(RetryDecision.MAX_EVENT_AGE_EXCEEDED);
    assertThat(((DeadLetter) d).message()).contains("HttpStatus503");
  }

  @Test
  void retryDueExactlyAtMaxEventAgeStillRetries() {
    RetryPolicy hour = new RetryPolicy(8, 3600, 1000, 2.0, 3_600_000);
    Instant late = INGESTED.plusSeconds(3599);
    assertThat(RetryDecision.decide(hour, 1, INGESTED, late, UNAVAILABLE, HIGHEST))
        .isEqualTo(new RetryAt(INGESTED.plusSeconds(3600)));
  }

  @Test
  void retryAfterBeyondMaxEventAgeIsMaxEventAgeExceeded() {
    RetryPolicy minute = new RetryPolicy(8, 60, 1000, 2.0, 3_600_000);
    Failure throttled = Failure.retryable("HttpStatus429", Duration.ofMinutes(2));
    Decision d = RetryDecision.decide(minute, 1, INGESTED, NOW, throttled, LOWEST);
    assertThat(((DeadLetter) d).code()).isEqualTo("MaxEventAgeExceeded");
  }

  @Test
  void rejectsAttemptsBelowOne() {
    assertThatThrownBy(() -> RetryDecision.decide(DEFAULTS, 0, INGESTED, NOW, UNAVAILABLE, LOWEST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attemptsMade");
  }
}
