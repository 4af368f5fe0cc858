package dev.herald.engine.router;

import java.util.List;

/**
 * Where the router records what it routed (the journey and the dead letters of shaping failures).
 * {@link #record} returns only once the records are durable: the router commits its offsets after
 * it returns, so a crash before that routes the same events again, with the same delivery keys.
 */
@FunctionalInterface
public interface RouteSink {
  void record(List<RoutedEvent> routed);
}
