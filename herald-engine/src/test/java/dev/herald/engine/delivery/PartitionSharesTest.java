package dev.herald.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engine.testing.FakeClock;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionSharesTest {
  private static final String HOOK = "herald.target.hook";

  private static TopicPartition hook(int partition) {
    return new TopicPartition(HOOK, partition);
  }

  @Test
  void anInstanceOwningEveryPartitionOrNoneKnownAppliesTheWholeLimit() {
    PartitionShares shares = new PartitionShares();
    assertThat(shares.share("hook")).isEqualTo(1.0);
    shares.assigned(List.of(hook(0), hook(1), hook(2)), topic -> 3);
    assertThat(shares.share("hook")).isEqualTo(1.0);
  }

  @Test
  void theShareIsTheOwnedPartitionsOverAllOfThemAcrossThisInstancesConsumers() {
    PartitionShares shares = new PartitionShares();
    // two consumers of one instance, each assigned part of a 6-partition topic
    assertThat(shares.assigned(List.of(hook(0)), topic -> 6)).containsExactly("hook");
    shares.assigned(List.of(hook(3), new TopicPartition("herald.bus.default", 0)), topic -> 6);
    assertThat(shares.share("hook")).isEqualTo(2.0 / 6);

    assertThat(shares.removed(List.of(hook(0)))).containsExactly("hook");
    assertThat(shares.share("hook")).isEqualTo(1.0 / 6);
    assertThat(shares.removed(List.of(hook(5)))).isEmpty(); // never owned: no change
  }

  @Test
  void aTargetRuntimeAppliesItsShareOfConcurrencyAndRate() throws Exception {
    FakeClock clock = new FakeClock(Instant.parse("2026-12-01T10:00:00Z"));
    try (TargetRuntime chat =
        RetrySchedulerTest.runtime(
            "chat",
            "{\"type\":\"log\",\"concurrency\":{\"max\":6},\"rateLimit\":{\"perSecond\":3}}",
            clock)) {
      assertThat(chat.concurrencyLimit()).isEqualTo(6);
      assertThat(chat.ratePerSecond()).hasValue(3.0);

      chat.share(1.0 / 3); // one instance of three
      assertThat(chat.concurrencyLimit()).isEqualTo(2);
      assertThat(chat.ratePerSecond()).hasValue(1.0);

      chat.share(1.0); // the others left: it owns every partition again
      assertThat(chat.ratePerSecond()).hasValue(3.0);
      assertThat(chat.concurrencyLimit()).isEqualTo(2); // grows back as calls succeed
    }
  }
}
