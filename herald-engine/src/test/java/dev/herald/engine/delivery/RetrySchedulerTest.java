package dev.herald.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.delivery.Outcome;
import dev.herald.core.config.TargetSpecs;
import dev.herald.engine.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class RetrySchedulerTest {
  private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");
  private final FakeClock clock = new FakeClock(START);
  private final MemoryLedger ledger = new MemoryLedger();
  private final Map<String, TargetRuntime> targets = new ConcurrentHashMap<>();
  private final List<Work> submitted = new ArrayList<>();
  private final List<AttemptResult> recorded = new ArrayList<>();
  private final RetryScheduler scheduler =
      new RetryScheduler(
          ledger,
          clock,
          targets::values,
          name -> Optional.ofNullable(targets.get(name)),
          new RetryScheduler.Sink() {
            @Override
            public void submit(Work work, TargetRuntime target) {
              submitted.add(work);
            }

            @Override
            public void record(AttemptResult result) {
              recorded.add(result);
            }
          });

  static TargetRuntime runtime(String name, String json, java.time.InstantSource clock)
      throws Exception {
    return new TargetRuntime(
        TargetSpecs.parse(name, new ObjectMapper().readTree(json)),
        new dev.herald.api.delivery.Target() {
          @Override
          public Outcome deliver(dev.herald.api.delivery.Delivery delivery) {
            return new Outcome.Delivered();
          }

          @Override
          public void close() {}
        },
        clock);
  }

  @Test
  void handsARetryToItsTargetOnlyOnceItIsDue() throws Exception {
    targets.put("t", runtime("t", "{\"type\":\"log\"}", clock));
    ledger.schedule(Works.retry("t", "dk", 2, START), START.plusSeconds(5));

    assertThat(scheduler.runOnce()).isZero();
    assertThat(submitted).isEmpty();

    clock.advance(Duration.ofSeconds(5));
    assertThat(scheduler.runOnce()).isEqualTo(1);
    assertThat(submitted).extracting(Work::deliveryKey).containsExactly("dk");
    assertThat(scheduler.runOnce()).isZero(); // claimed once
  }

  @Test
  void leavesTheRetriesOfADisabledTargetWhereTheyAre() throws Exception {
    TargetRuntime paused = runtime("paused", "{\"type\":\"log\"}", clock);
    paused.setEnabled(false);
    targets.put("paused", paused);
    targets.put("t", runtime("t", "{\"type\":\"log\"}", clock));
    ledger.schedule(Works.retry("paused", "dk-1", 2, START), START);
    ledger.schedule(Works.retry("t", "dk-2", 2, START), START);

    scheduler.runOnce();

    assertThat(submitted).extracting(Work::deliveryKey).containsExactly("dk-2");
    paused.setEnabled(true);
    scheduler.runOnce();
    assertThat(submitted).extracting(Work::deliveryKey).containsExactly("dk-2", "dk-1");
  }

  @Test
  void aRetryWhoseTargetIsGoneBecomesADeadLetter() throws Exception {
    ledger.schedule(Works.retry("deleted", "dk", 3, START), START);

    scheduler.runOnce();

    assertThat(submitted).isEmpty();
    assertThat(recorded).singleElement().isInstanceOf(AttemptResult.DeadLettered.class);
    AttemptResult.DeadLettered dead = (AttemptResult.DeadLettered) recorded.getFirst();
    assertThat(dead.code()).isEqualTo("TargetDeleted");
    assertThat(dead.at()).isEqualTo(START);
  }
}
