package dev.herald.api.delivery;

/**
 * A destination of deliveries. Called concurrently from many virtual threads; {@link #deliver}
 * blocks until the attempt has an outcome and never throws for a failed delivery: every failure is
 * an {@link Outcome}. It honours {@link Delivery#deadline()}: once it passes, the attempt is
 * abandoned and the answer is {@code Retry("Timeout")}.
 */
public interface Target extends AutoCloseable {
  Outcome deliver(Delivery delivery);

  /** Releases the target's resources. */
  @Override
  void close();
}
