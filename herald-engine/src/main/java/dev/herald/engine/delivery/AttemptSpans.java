package dev.herald.engine.delivery;

import dev.herald.api.delivery.Outcome;
import dev.herald.core.trace.Span;
import dev.herald.core.trace.Tracing;

/**
 * The span of each delivery attempt ({@code herald.deliver}, kind client), a child of the trace
 * context the target record carries (the routing span's), and whose own context the target sends on
 * ({@code traceparent} of a webhook call, the trace of a re-published event). With tracing off, or
 * an unsampled trace, it is {@link Span#NONE} and the record's context goes on unchanged.
 * Thread-safe: stateless apart from the thread-safe {@link Tracing}.
 */
final class AttemptSpans {
  private final Tracing tracing;

  AttemptSpans(Tracing tracing) {
    this.tracing = tracing;
  }

  Span start(Work work) {
    if (!tracing.enabled()) {
      return Span.NONE;
    }
    Span span = tracing.start("herald.deliver", Tracing.Kind.CLIENT, work.traceparent());
    if (span.recording()) {
      span.set("herald.target", work.target())
          .set("herald.rule", work.rule())
          .set("herald.bus", work.bus())
          .set("herald.event_id", work.eventId())
          .set("herald.delivery_key", work.deliveryKey())
          .set("herald.attempt", work.attempt());
    }
    return span;
  }

  static void end(Span span, Outcome outcome) {
    if (span.recording()) {
      switch (outcome) {
        case Outcome.Delivered d -> span.set("herald.outcome", "delivered");
        case Outcome.Retry r -> failed(span, "retry", r.code(), r.message());
        case Outcome.Permanent p -> failed(span, "permanent", p.code(), p.message());
        case Outcome.Gone g -> failed(span, "gone", g.code(), g.message());
      }
    }
    span.end();
  }

  private static void failed(Span span, String outcome, String code, String message) {
    span.set("herald.outcome", outcome);
    span.fail(code, message);
  }
}
