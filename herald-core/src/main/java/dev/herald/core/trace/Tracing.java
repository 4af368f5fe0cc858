package dev.herald.core.trace;

import java.util.Optional;

/**
 * Herald's tracing, as the engine and the targets see it: spans for ingest, routing and delivery
 * attempts, parented by the W3C {@code traceparent} Herald carries through the bus and target
 * records. The composition root picks the implementation: {@link #OFF} (no spans, nothing
 * allocated; callers check {@link #enabled} before building anything) or OpenTelemetry when an OTLP
 * endpoint is configured. Implementations are thread-safe.
 */
public interface Tracing {

  /** Tracing switched off: {@link #start} answers {@link Span#NONE}. */
  Tracing OFF =
      new Tracing() {
        @Override
        public boolean enabled() {
          return false;
        }

        @Override
        public Span start(String name, Kind kind, Optional<String> parent) {
          return Span.NONE;
        }

        @Override
        public String toString() {
          return "Tracing.OFF";
        }
      };

  /** What a span stands for, in OpenTelemetry's terms. */
  enum Kind {
    /** Herald answering a request (ingest). */
    SERVER,
    /** Herald reading a record it was handed (routing a bus record). */
    CONSUMER,
    /** Herald calling out (a delivery attempt). */
    CLIENT,
    INTERNAL
  }

  /** False for {@link #OFF}: callers skip all span work then. */
  boolean enabled();

  /**
   * Starts a span as a child of {@code parent}, a W3C traceparent (a new trace when it is empty or
   * not a valid traceparent). Answers {@link Span#NONE} when nothing is recorded and the parent can
   * be carried on as it is (an unsampled parent under a parent-based sampler).
   */
  Span start(String name, Kind kind, Optional<String> parent);
}
