package dev.herald.engine.delivery;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a crash now would deliver again: calls to targets in flight, and attempts whose call
 * returned but whose result is not durable in the ledger yet. A receiver may have seen any of them,
 * and none is journaled, so after a {@code kill -9} each may be invoked once more: their sum bounds
 * the duplicates a crash causes. Exported as {@code herald_delivery_in_flight} and {@code
 * herald_delivery_unrecorded}.
 *
 * <p>Every attempt that {@link Deliverer} returns has counted one {@link #ended} or {@link
 * #returned} (also one that aged out without a call, a slight over-count on the safe side), and
 * {@link ResultRecorder} counts one {@link #recorded} when the write of its result ends (durable or
 * failed), on the writer thread: counted where its caller wakes up, the number would lag on a busy
 * machine, where thousands of virtual threads wait for a carrier. Thread-safe: atomic counters.
 */
final class CallCounts {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger unrecorded = new AtomicInteger();

  /** A call to a target starts. */
  void started() {
    inFlight.incrementAndGet();
  }

  /** A call ended (it returned, threw or timed out): its result waits to be recorded. */
  void ended() {
    inFlight.decrementAndGet();
    unrecorded.incrementAndGet();
  }

  /** An attempt ended without a call (its event aged out): its result waits to be recorded. */
  void returned() {
    unrecorded.incrementAndGet();
  }

  /** A result counted by {@link #ended} or {@link #returned} is durable (or will not be). */
  void recorded() {
    unrecorded.decrementAndGet();
  }

  int inFlight() {
    return inFlight.get();
  }

  int unrecorded() {
    return unrecorded.get();
  }
}
