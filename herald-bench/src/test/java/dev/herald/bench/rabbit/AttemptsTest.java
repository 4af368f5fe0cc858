package dev.herald.bench.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttemptsTest {

  @Test
  void countsOnlyRejectionsFromTheConsumersQueue() {
    Map<String, Object> headers =
        Map.of(
            "x-death",
            List.of(
                Map.of("queue", "p.c1.retry", "reason", "expired", "count", 3L),
                Map.of("queue", "p.c1", "reason", "rejected", "count", 3L),
                Map.of("queue", "p.c2", "reason", "rejected", "count", 9L)));

    assertThat(Attempts.failedSoFar(headers, "p.c1")).isEqualTo(3);
    assertThat(Attempts.failedSoFar(headers, "p.c3")).isZero();
  }

  @Test
  void aFirstDeliveryHasNoFailures() {
    assertThat(Attempts.failedSoFar(null, "p.c1")).isZero();
    assertThat(Attempts.failedSoFar(Map.of("other", 1), "p.c1")).isZero();
  }

  @Test
  void theFifthFailedAttemptExhaustsFiveAttempts() {
    assertThat(Attempts.exhausted(0, 5)).isFalse();
    assertThat(Attempts.exhausted(3, 5)).isFalse();
    assertThat(Attempts.exhausted(4, 5)).isTrue();
    assertThat(Attempts.exhausted(0, 1)).isTrue();
    assertThatThrownBy(() -> Attempts.exhausted(0, 0)).hasMessageContaining("maxAttempts: 0");
  }
}
