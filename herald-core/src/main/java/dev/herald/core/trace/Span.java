package dev.herald.core.trace;

import java.util.List;
import java.util.Optional;

/**
 * One span started by {@link Tracing#start}. Not thread-safe: one thread sets its attributes and
 * ends it (a routing span may be ended by the router thread that started it only).
 */
public interface Span {

  /** A span that records nothing and carries on whatever trace context came in. */
  Span NONE =
      new Span() {
        @Override
        public boolean recording() {
          return false;
        }

        @Override
        public Span set(String key, String value) {
          return this;
        }

        @Override
        public Span set(String key, long value) {
          return this;
        }

        @Override
        public Span set(String key, List<String> values) {
          return this;
        }

        @Override
        public Optional<String> traceparentOr(Optional<String> incoming) {
          return incoming;
        }

        @Override
        public void fail(String code, String message) {}

        @Override
        public void end() {}

        @Override
        public String toString() {
          return "Span.NONE";
        }
      };

  /** True when the span is sampled and its attributes are exported; callers skip work otherwise. */
  boolean recording();

  Span set(String key, String value);

  Span set(String key, long value);

  Span set(String key, List<String> values);

  /**
   * The W3C traceparent naming this span, to carry on to what it causes (records, requests); {@code
   * incoming} when this span has none of its own ({@link #NONE}).
   */
  Optional<String> traceparentOr(Optional<String> incoming);

  /** Marks the span failed, with a code (an attribute) and a message (the status description). */
  void fail(String code, String message);

  /** Ends the span; it is exported if sampled. */
  void end();
}
