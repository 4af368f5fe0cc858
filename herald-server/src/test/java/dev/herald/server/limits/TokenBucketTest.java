package dev.herald.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The arithmetic of the token bucket, on a clock moved by hand. */
class TokenBucketTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void startsFullAndRefusesOnceEmpty() {
    TokenBucket bucket = new TokenBucket(10, 10, T0);

    for (int i = 0; i < 10; i++) {
      assertThat(bucket.tryTake(1, T0)).isZero();
    }

    assertThat(bucket.tryTake(1, T0)).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void refillsAtItsRateUpToItsCapacity() {
    TokenBucket bucket = new TokenBucket(10, 20, T0);
    assertThat(bucket.tryTake(20, T0)).isZero();

    assertThat(bucket.available(T0.plusMillis(500))).isEqualTo(5.0);
    assertThat(bucket.available(T0.plusSeconds(60))).isEqualTo(20.0);
  }

  @Test
  void aRefusalTakesNothing() {
    TokenBucket bucket = new TokenBucket(10, 10, T0);
    assertThat(bucket.tryTake(8, T0)).isZero();

    assertThat(bucket.tryTake(5, T0)).isEqualTo(Duration.ofMillis(300));

    assertThat(bucket.available(T0)).isEqualTo(2.0);
    assertThat(bucket.tryTake(5, T0.plusMillis(300))).isZero();
  }

  @Test
  void aRequestLargerThanTheBucketPassesWhenFullAndIsPaidOffAfterwards() {
    TokenBucket bucket = new TokenBucket(10, 10, T0);

    assertThat(bucket.tryTake(50, T0)).isZero(); // balance -40

    assertThat(bucket.tryTake(1, T0)).isEqualTo(Duration.ofMillis(4100));
    assertThat(bucket.tryTake(50, T0.plusSeconds(4))).isEqualTo(Duration.ofSeconds(1));
    assertThat(bucket.tryTake(50, T0.plusSeconds(5))).isZero();
  }

  @Test
  void aClockGoingBackAddsNothing() {
    TokenBucket bucket = new TokenBucket(1, 1, T0);
    assertThat(bucket.tryTake(1, T0)).isZero();

    assertThat(bucket.tryTake(1, T0.minusSeconds(30))).isEqualTo(Duration.ofSeconds(1));
    assertThat(bucket.tryTake(1, T0.plusMillis(999))).isEqualTo(Duration.ofMillis(1));
    assertThat(bucket.tryTake(1, T0.plusSeconds(1))).isZero();
  }

  @Test
  void givenBackTokensNeverOverfillIt() {
    TokenBucket bucket = new TokenBucket(5, 5, T0);
    assertThat(bucket.tryTake(3, T0)).isZero();

    bucket.giveBack(3);
    bucket.giveBack(3);

    assertThat(bucket.available(T0)).isEqualTo(5.0);
    assertThat(bucket.full(T0)).isTrue();
  }

  @Test
  void refusesANonPositiveRate() {
    assertThatThrownBy(() -> new TokenBucket(0, 1, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive rate");
  }
}
