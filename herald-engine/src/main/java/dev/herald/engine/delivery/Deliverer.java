package dev.herald.engine.delivery;

import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.core.delivery.RetryDecision;
import dev.herald.core.trace.Span;
import dev.herald.core.trace.Tracing;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import java.util.random.RandomGenerator;

/**
 * Makes one attempt of one delivery under its target's policies and decides what comes of it: waits
 * while the target is disabled or its circuit is open (the event keeps ageing), honours the rate
 * limit and the adaptive concurrency limit, invokes the target with its timeout, and turns the
 * outcome into a result (delivered, retry at a time, dead letter). Thread-safe: stateless apart
 * from injected thread-safe parts; called on virtual threads.
 */
final class Deliverer {
  static final Duration WAIT_STEP = Duration.ofMillis(250);

  private final InstantSource clock;
  private final RandomGenerator random;
  private final Consumer<String> onGone;
  private final CallCounts calls;
  private final ObjLongConsumer<String> timer;
  private final AttemptSpans spans;

  /**
   * @param timer told how long each call to a target took: its name and nanoseconds
   */
  Deliverer(
      InstantSource clock,
      RandomGenerator random,
      Consumer<String> onGone,
      CallCounts calls,
      ObjLongConsumer<String> timer,
      Tracing tracing) {
    this.clock = clock;
    this.random = random;
    this.onGone = onGone;
    this.calls = calls;
    this.timer = timer;
    this.spans = new AttemptSpans(tracing);
  }

  /**
   * Makes one attempt. Every attempt returned counts in {@link CallCounts} as returned (through
   * {@link CallCounts#ended} after a call, {@link CallCounts#returned} without one); the caller
   * counts it recorded once its result is durable.
   */
  AttemptResult attempt(Work work, TargetRuntime target) throws InterruptedException {
    Instant maxAge = work.ingestedAt().plusSeconds(target.spec().retry().maxEventAgeSeconds());
    while (!target.enabled() || !target.circuit().tryAcquirePermission()) {
      if (!clock.instant().isBefore(maxAge)) {
        calls.returned();
        return new AttemptResult.DeadLettered(
            work,
            clock.instant(),
            "MaxEventAgeExceeded",
            "the event aged out while target "
                + target.name()
                + " was "
                + (target.enabled() ? "failing (circuit open)" : "disabled"));
      }
      Thread.sleep(WAIT_STEP);
    }
    target.awaitRate();
    boolean backlog = target.acquire();
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    Outcome outcome;
    Span span = spans.start(work);
    calls.started();
    try {
      outcome = target.target().deliver(delivery(work, target, started, span));
    } catch (RuntimeException e) {
      outcome = new Outcome.Retry("TargetError", e.toString(), java.util.Optional.empty());
    } finally {
      calls.ended();
      target.release();
    }
    long nanos = System.nanoTime() - startNanos;
    AttemptSpans.end(span, outcome);
    timer.accept(target.name(), nanos);
    Duration latency = Duration.ofNanos(nanos);
    return decide(work, target, outcome, latency, backlog);
  }

  private AttemptResult decide(
      Work work, TargetRuntime target, Outcome outcome, Duration latency, boolean backlog) {
    Instant now = clock.instant();
    return switch (outcome) {
      case Outcome.Delivered d -> {
        target.circuit().onSuccess();
        target.limit().onSample(latency, true, backlog);
        yield new AttemptResult.Delivered(work, now);
      }
      case Outcome.Permanent p -> {
        target.circuit().onIgnored(); // the target answered: the event is at fault, not it
        yield new AttemptResult.DeadLettered(work, now, p.code(), p.message());
      }
      case Outcome.Gone g -> {
        target.setEnabled(false);
        onGone.accept(target.name());
        yield new AttemptResult.Retrying(
            work, now, now, g.code(), g.message(), target.spec().ordered());
      }
      case Outcome.Retry r -> {
        target.failedWith(r.code(), r.message()); // the reason, should the circuit open now
        target.circuit().onFailure();
        target.limit().onSample(latency, false, backlog);
        yield retry(work, target, now, r);
      }
    };
  }

  private AttemptResult retry(Work work, TargetRuntime target, Instant now, Outcome.Retry failure) {
    RetryDecision.Decision decision =
        RetryDecision.decide(
            target.spec().retry(),
            work.attempt(),
            work.ingestedAt(),
            now,
            new RetryDecision.Failure(failure.code(), true, failure.retryAfter()),
            random);
    return switch (decision) {
      case RetryDecision.RetryAt at ->
          new AttemptResult.Retrying(
              work, now, at.due(), failure.code(), failure.message(), target.spec().ordered());
      case RetryDecision.DeadLetter dead ->
          new AttemptResult.DeadLettered(work, now, dead.code(), failure.message());
    };
  }

  /** The delivery a target sees; its traceparent is the attempt span's when one is recorded. */
  private static Delivery delivery(Work work, TargetRuntime target, Instant started, Span span) {
    return new Delivery(
        work.deliveryKey(),
        work.eventId(),
        work.rule(),
        work.attempt(),
        work.input(),
        work.json(),
        span.traceparentOr(work.traceparent()),
        started.plusMillis(target.spec().timeoutMs()),
        work.hops(),
        work.replay());
  }
}
