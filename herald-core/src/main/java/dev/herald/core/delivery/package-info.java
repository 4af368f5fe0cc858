/**
 * Delivery policy of targets, as pure algorithms: {@link dev.herald.core.delivery.RetryDecision}
 * (backoff with full jitter, {@code Retry-After}, attempts and event age, dead letters), {@link
 * dev.herald.core.delivery.CircuitBreaker}, {@link dev.herald.core.delivery.AdaptiveLimit} (AIMD
 * concurrency) and {@link dev.herald.core.delivery.RateLimiter} (token bucket).
 *
 * <p>No I/O and no threads: time ({@link java.time.InstantSource} or a nanosecond ticker) and
 * randomness ({@link java.util.random.RandomGenerator}) are injected, so tests run on a fake clock.
 * {@code RetryDecision} is stateless; the other classes hold per-target mutable state and are
 * thread-safe by synchronization, as their headers state.
 */
package dev.herald.core.delivery;
