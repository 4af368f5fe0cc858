package dev.herald.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.config.TargetSpec.CircuitPolicy;
import dev.herald.core.delivery.CircuitBreaker.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private static final CircuitPolicy DEFAULTS = new CircuitPolicy(true, 90, 20, 30);
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-26T10:00:00Z"));

  private CircuitBreaker opened() {
    CircuitBreaker breaker = new CircuitBreaker(DEFAULTS, clock);
    for (int i = 0; i < 20; i++) {
      breaker.onFailure();
    }
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    return breaker;
  }

  @Test
  void staysClosedBeforeMinimumAttemptsEvenIfAllFail() {
    CircuitBreaker breaker = new CircuitBreaker(DEFAULTS, clock);
    for (int i = 0; i < 19; i++) {
      breaker.onFailure();
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquirePermission()).isFalse();
    assertThat(breaker.openUntil()).contains(clock.instant().plusSeconds(30));
  }

  @Test
  void opensExactlyAtTheFailureRateThreshold() {
    CircuitBreaker breaker = new CircuitBreaker(DEFAULTS, clock);
    breaker.onSuccess();
    breaker.onSuccess();
    breaker.onSuccess();
    for (int i = 0; i < 17; i++) {
      breaker.onFailure();
    }
    assertThat(breaker.state()).as("17 of 20 = 85%").isEqualTo(State.CLOSED);
    breaker.onFailure();
    assertThat(breaker.state()).as("18 of the last 20 = 90%").isEqualTo(State.OPEN);
  }

  @Test
  void windowForgetsOutcomesOlderThanTheLastMinimumAttempts() {
    CircuitBreaker breaker = new CircuitBreaker(new CircuitPolicy(true, 50, 4, 30), clock);
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onSuccess();
    breaker.onSuccess();
    breaker.onSuccess();
    breaker.onFailure();
    assertThat(breaker.state()).as("1 of last 4").isEqualTo(State.CLOSED);
    breaker.onFailure();
    assertThat(breaker.state()).as("2 of last 4").isEqualTo(State.OPEN);
  }

  @Test
  void becomesHalfOpenAfterOpenSecondsAndAllowsOneProbeAtATime() {
    CircuitBreaker breaker = opened();
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.tryAcquirePermission()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.tryAcquirePermission()).isFalse();
    assertThat(breaker.tryAcquirePermission()).isFalse();
  }

  @Test
  void successfulProbeClosesWithAnEmptyWindow() {
    CircuitBreaker breaker = opened();
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquirePermission()).isTrue();
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    for (int i = 0; i < 19; i++) {
      breaker.onFailure();
    }
    assertThat(breaker.state()).as("window was reset").isEqualTo(State.CLOSED);
  }

  @Test
  void failedProbeReopensForAnotherOpenSeconds() {
    CircuitBreaker breaker = opened();
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquirePermission()).isTrue();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquirePermission()).isFalse();
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryAcquirePermission()).isTrue();
  }

  @Test
  void ignoredProbeFreesTheSlotForAnotherProbe() {
    CircuitBreaker breaker = opened();
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquirePermission()).isTrue();
    breaker.onFailure(RetryDecision.Failure.permanent("HttpStatus400"));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquirePermission()).isTrue();
  }

  @Test
  void lostProbeIsReplacedAfterOpenSeconds() {
    CircuitBreaker breaker = opened();
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquirePermission()).isTrue();
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.tryAcquirePermission()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryAcquirePermission()).isTrue();
  }

  @Test
  void outcomesReportedWhileOpenAreIgnored() {
    CircuitBreaker breaker = opened();
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    clock.advance(Duration.ofSeconds(10));
    breaker.onFailure();
    clock.advance(Duration.ofSeconds(20));
    assertThat(breaker.state()).as("open period not extended").isEqualTo(State.HALF_OPEN);
  }

  @Test
  void disabledCircuitNeverOpens() {
    CircuitBreaker breaker = new CircuitBreaker(new CircuitPolicy(false, 90, 20, 30), clock);
    for (int i = 0; i < 1000; i++) {
      assertThat(breaker.tryAcquirePermission()).isTrue();
      breaker.onFailure();
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.openUntil()).isEmpty();
  }

  @Test
  void permanentFailuresAreNotCounted() {
    CircuitBreaker breaker = new CircuitBreaker(DEFAULTS, clock);
    for (int i = 0; i < 100; i++) {
      breaker.onFailure(RetryDecision.Failure.permanent("HttpStatus400"));
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    for (int i = 0; i < 19; i++) {
      breaker.onFailure(RetryDecision.Failure.retryable("HttpStatus503"));
    }
    assertThat(breaker.state()).as("only 19 counted").isEqualTo(State.CLOSED);
    breaker.onFailure(RetryDecision.Failure.retryable("HttpStatus503"));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void everyChangeOfStateIsReportedToTheListener() {
    List<String> changes = new java.util.ArrayList<>();
    CircuitBreaker breaker =
        new CircuitBreaker(
            new CircuitPolicy(true, 50, 4, 30), clock, (from, to) -> changes.add(from + ">" + to));
    for (int i = 0; i < 4; i++) {
      breaker.onFailure();
    }
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquirePermission()).isTrue();
    breaker.onSuccess();
    assertThat(changes).containsExactly("CLOSED>OPEN", "OPEN>HALF_OPEN", "HALF_OPEN>CLOSED");
  }
}
