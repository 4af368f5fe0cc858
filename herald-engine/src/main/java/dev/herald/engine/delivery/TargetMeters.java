package dev.herald.engine.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The per-target meters the delivery path updates on every result: results by kind ({@code
 * herald.delivery.attempts}), how long each call to the target took ({@code
 * herald.delivery.attempt.latency}) and how long an event took from ingestion to delivered ({@code
 * herald.delivery.end.to.end.latency}). The histograms have fixed buckets (a few dozen series per
 * target, and a recording is a binary search among them). Thread-safe: Micrometer meters are.
 */
record TargetMeters(Counter[] results, Timer attemptLatency, Timer endToEnd) {

  /** The result kinds, in {@link #kindIndex} order. */
  static final List<String> RESULT_KINDS =
      List.of("Delivered", "SkippedDuplicate", "Retrying", "DeadLettered");

  /** Buckets of one call: 5 ms to 1 min (a call's timeout is at most a minute). */
  static final Duration[] ATTEMPT_BUCKETS =
      Stream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000)
          .map(Duration::ofMillis)
          .toArray(Duration[]::new);

  /** Buckets from ingestion to delivered: 10 ms (a first attempt) to a day (retries). */
  static final Duration[] END_TO_END_BUCKETS =
      Stream.of(
              10L,
              25L,
              50L,
              100L,
              250L,
              500L,
              1_000L,
              2_500L,
              5_000L,
              10_000L,
              30_000L,
              60_000L,
              300_000L,
              900_000L,
              3_600_000L,
              21_600_000L,
              86_400_000L)
          .map(Duration::ofMillis)
          .toArray(Duration[]::new);

  static TargetMeters register(MeterRegistry metrics, String target) {
    Counter[] results =
        RESULT_KINDS.stream()
            .map(
                kind ->
                    Counter.builder("herald.delivery.attempts")
                        .description("Results of deliveries, by target and kind")
                        .tag("target", target)
                        .tag("result", kind)
                        .register(metrics))
            .toArray(Counter[]::new);
    Timer attempt =
        Timer.builder("herald.delivery.attempt.latency")
            .description("How long each call to the target took, answered or timed out")
            .tag("target", target)
            .serviceLevelObjectives(ATTEMPT_BUCKETS)
            .register(metrics);
    Timer endToEnd =
        Timer.builder("herald.delivery.end.to.end.latency")
            .description(
                "From the event's ingestion to its delivery to the target, retries included")
            .tag("target", target)
            .serviceLevelObjectives(END_TO_END_BUCKETS)
            .register(metrics);
    return new TargetMeters(results, attempt, endToEnd);
  }

  static int kindIndex(AttemptResult result) {
    return switch (result) {
      case AttemptResult.Delivered d -> 0;
      case AttemptResult.SkippedDuplicate s -> 1;
      case AttemptResult.Retrying r -> 2;
      case AttemptResult.DeadLettered d -> 3;
    };
  }

  /** Every meter, to remove them with their target. */
  List<Meter> all() {
    return Stream.concat(Stream.of(results), Stream.of(attemptLatency, endToEnd)).toList();
  }
}
