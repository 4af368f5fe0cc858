package dev.herald.engine.inspect;

/**
 * A bus's new events flowing to a callback until closed: a consumer of its own ({@link BusTail}) or
 * a tap on the router ({@link BusTaps#open}).
 */
public interface LiveFeed extends AutoCloseable {

  /** Whether events still flow (false once closed, or when the feed's reader has stopped). */
  boolean isRunning();

  /** Stops the flow (a callback already running may finish). Never throws. */
  @Override
  void close();
}
