package dev.herald.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class KeySequencerTest {
  /** An executor that runs nothing until the test steps it: one task per step. */
  static final class SteppedExecutor implements Executor {
    final Deque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    boolean runOnce() {
      Runnable next = tasks.poll();
      if (next == null) {
        return false;
      }
      next.run();
      return true;
    }
  }

  private final SteppedExecutor executor = new SteppedExecutor();
  private final KeySequencer sequencer = new KeySequencer(executor);
  private final List<String> ran = new ArrayList<>();

  @Test
  void runsTheTasksOfOneKeyOneAfterTheOtherInSubmissionOrder() {
    sequencer.submit("k", () -> ran.add("k1"));
    sequencer.submit("k", () -> ran.add("k2"));
    sequencer.submit("k", () -> ran.add("k3"));

    assertThat(executor.tasks).hasSize(1); // one drain per key, not one task each
    assertThat(executor.runOnce()).isTrue();
    assertThat(ran).containsExactly("k1", "k2", "k3");
    assertThat(executor.runOnce()).isFalse();
  }

  @Test
  void runsDifferentKeysAsSeparateTasks() {
    sequencer.submit("a", () -> ran.add("a1"));
    sequencer.submit("b", () -> ran.add("b1"));
    sequencer.submit("a", () -> ran.add("a2"));

    assertThat(executor.tasks).hasSize(2); // a and b can run in parallel
    executor.runOnce();
    assertThat(ran).containsExactly("a1", "a2");
    executor.runOnce();
    assertThat(ran).containsExactly("a1", "a2", "b1");
  }

  @Test
  void aTaskSubmittedWhileItsKeyIsRunningWaitsForTheRunningOne() {
    sequencer.submit(
        "k",
        () -> {
          ran.add("k1");
          sequencer.submit("k", () -> ran.add("k2")); // arrives while k1 runs
          ran.add("k1 done");
        });

    executor.runOnce();
    assertThat(ran).containsExactly("k1", "k1 done", "k2");
    assertThat(executor.tasks).isEmpty();

    sequencer.submit("k", () -> ran.add("k3")); // the key is idle again: a new drain
    assertThat(executor.tasks).hasSize(1);
  }
}
