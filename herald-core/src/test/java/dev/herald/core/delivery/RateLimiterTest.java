package dev.herald.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-26T10:00:00Z"));

  private static int admitted(RateLimiter limiter) {
    int n = 0;
    while (limiter.tryAcquire().isEmpty()) {
      n++;
    }
    return n;
  }

  @Test
  void admitsABurstOfPerSecondAtOnce() {
    assertThat(admitted(new RateLimiter(300, clock))).isEqualTo(300);
  }

  @Test
  void admitsPerSecondEverySecond() {
    RateLimiter limiter = new RateLimiter(10, clock);
    assertThat(admitted(limiter)).isEqualTo(10);
    for (int second = 0; second < 5; second++) {
      clock.advance(Duration.ofSeconds(1));
      assertThat(admitted(limiter)).isEqualTo(10);
    }
  }

  @Test
  void refillsOneTokenPerInterval() {
    RateLimiter limiter = new RateLimiter(10, clock);
    admitted(limiter);
    clock.advance(Duration.ofMillis(250));
    assertThat(admitted(limiter)).isEqualTo(2);
  }

  @Test
  void burstIsNeverMoreThanOneSecondOfTokens() {
    RateLimiter limiter = new RateLimiter(10, clock);
    clock.advance(Duration.ofHours(1));
    assertThat(admitted(limiter)).isEqualTo(10);
  }

  @Test
  void reportsHowLongToWait() {
    RateLimiter limiter = new RateLimiter(4, clock);
    admitted(limiter);
    assertThat(limiter.tryAcquire()).contains(Duration.ofMillis(250));
    clock.advance(Duration.ofMillis(100));
    assertThat(limiter.tryAcquire()).contains(Duration.ofMillis(150));
    clock.advance(Duration.ofMillis(150));
    assertThat(limiter.tryAcquire()).isEmpty();
    assertThat(limiter.tryAcquire()).contains(Duration.ofMillis(250));
  }

  @Test
  void slowRateHasABurstOfOne() {
    RateLimiter limiter = RateLimiter.of(0.5, clock);
    assertThat(limiter.tryAcquire()).isEmpty();
    assertThat(limiter.tryAcquire()).contains(Duration.ofSeconds(2));
    clock.advance(Duration.ofSeconds(2));
    assertThat(limiter.tryAcquire()).isEmpty();
    assertThat(RateLimiter.burst(2.5)).isEqualTo(2);
  }

  @Test
  void waitingTheReportedTimeAlwaysAdmits() {
    RateLimiter limiter = new RateLimiter(3, clock);
    admitted(limiter);
    for (int i = 0; i < 30; i++) {
      Optional<Duration> wait = limiter.tryAcquire();
      assertThat(wait).isPresent();
      clock.advance(wait.orElseThrow());
      assertThat(limiter.tryAcquire()).isEmpty();
    }
  }

  @Test
  void rejectsNonPositiveRates() {
    assertThatThrownBy(() -> new RateLimiter(0, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
