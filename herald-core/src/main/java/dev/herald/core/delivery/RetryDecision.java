package dev.herald.core.delivery;

import dev.herald.core.config.TargetSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * What happens after a failed delivery attempt: a retry at a due time, or a dead letter.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>A permanent failure ({@link Failure#retryable()} false: a 4xx other than 408/429, a
 *       template error) is a dead letter with the failure's code, at once.
 *   <li>When {@code attemptsMade} (the first attempt included, as {@code retry.maxAttempts} counts)
 *       reaches {@code maxAttempts}, a dead letter with the last failure's code.
 *   <li>Otherwise the next attempt is due after a backoff with <b>full jitter</b>: a uniformly
 *       random delay in {@code [0, min(maxMs, initialMs × multiplier^(attemptsMade - 1))]}
 *       milliseconds, both ends included (see {@link #backoffCeilingMs}).
 *   <li>A {@code Retry-After} from the target is honoured: the delay is {@code max(jittered,
 *       retryAfter)}, where {@code retryAfter} is first capped at {@code max(maxMs, 1 hour)} (see
 *       {@link #RETRY_AFTER_FLOOR_CAP}) so a receiver cannot park a delivery longer than the
 *       policy's own longest backoff or an hour, whichever is longer; a negative value counts as
 *       zero.
 *   <li>A due time later than {@code ingestedAt + maxEventAgeSeconds} is a dead letter {@value
 *       #MAX_EVENT_AGE_EXCEEDED}: event age counts from ingestion, never from the event's {@code
 *       time}.
 * </ol>
 *
 * <p>The policy's defaults are those of {@link dev.herald.core.config.TargetSpecs}: 8 attempts,
 * 86,400 s of event age, backoff from 1,000 ms doubling up to 3,600,000 ms.
 *
 * <p>Stateless and thread-safe. Time and randomness come from the caller: {@code now} and a {@link
 * RandomGenerator} that the caller may use from its thread (one per thread, or a thread-safe one).
 */
public final class RetryDecision {
  /** Dead-letter code of a delivery whose next attempt would come after the event's max age. */
  public static final String MAX_EVENT_AGE_EXCEEDED = "MaxEventAgeExceeded";

  /** The lowest cap on an honoured {@code Retry-After}; the cap is this or {@code maxMs}. */
  public static final Duration RETRY_AFTER_FLOOR_CAP = Duration.ofHours(1);

  private RetryDecision() {}

  /**
   * One failed attempt.
   *
   * @param code the error code recorded with the attempt, e.g. {@code HttpStatus503}
   * @param retryable false for a permanent failure (the event's fault, not the target's)
   * @param retryAfter the target's {@code Retry-After}, when it sent one
   */
  public record Failure(String code, boolean retryable, Optional<Duration> retryAfter) {
    public Failure {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** A retryable failure without {@code Retry-After}. */
    public static Failure retryable(String code) {
      return new Failure(code, true, Optional.empty());
    }

    /** A retryable failure with the target's {@code Retry-After}. */
    public static Failure retryable(String code, Duration retryAfter) {
      return new Failure(code, true, Optional.of(retryAfter));
    }

    /** A permanent failure. */
    public static Failure permanent(String code) {
      return new Failure(code, false, Optional.empty());
    }
  }

  /** The outcome of {@link #decide}. */
  public sealed interface Decision permits RetryAt, DeadLetter {}

  /** Attempt again at {@code due}. */
  public record RetryAt(Instant due) implements Decision {
    public RetryAt {
      Objects.requireNonNull(due, "due");
    }
  }

  /** Give up: the delivery becomes a dead letter with this code and message. */
  public record DeadLetter(String code, String message) implements Decision {
    public DeadLetter {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Decides what follows a failed attempt.
   *
   * @param attemptsMade attempts made so far, the failed one and the first included (at least 1)
   * @param ingestedAt when Herald accepted the event
   * @param now the time of the decision
   * @param random the source of jitter
   * @throws IllegalArgumentException if {@code attemptsMade} is less than 1
   */
  public static Decision decide(
      TargetSpec.RetryPolicy policy,
      int attemptsMade,
      Instant ingestedAt,
      Instant now,
      Failure failure,
      RandomGenerator random) {
    if (attemptsMade < 1) {
      throw new IllegalArgumentException("attemptsMade must be at least 1, was " + attemptsMade);
    }
    if (!failure.retryable()) {
      return new DeadLetter(
          failure.code(), "permanent failure " + failure.code() + " on attempt " + attemptsMade);
    }
    if (attemptsMade >= policy.maxAttempts()) {
      return new DeadLetter(
          failure.code(),
          "gave up after "
              + attemptsMade
              + " attempts (maxAttempts "
              + policy.maxAttempts()
              + "), last error "
              + failure.code());
    }
    Instant due = now.plus(delay(policy, attemptsMade, failure.retryAfter(), random));
    Instant deadline = ingestedAt.plusSeconds(policy.maxEventAgeSeconds());
    if (due.isAfter(deadline)) {
      return new DeadLetter(
          MAX_EVENT_AGE_EXCEEDED,
          "next attempt at "
              + due
              + " would pass maxEventAgeSeconds "
              + policy.maxEventAgeSeconds()
              + " (ingested "
              + ingestedAt
              + "), last error "
              + failure.code());
    }
    return new RetryAt(due);
  }

  /**
   * The upper bound of the jittered backoff after {@code attemptsMade} attempts: {@code min(maxMs,
   * initialMs × multiplier^(attemptsMade - 1))}, without overflow.
   */
  public static long backoffCeilingMs(TargetSpec.RetryPolicy policy, int attemptsMade) {
    long max = Math.max(0, policy.maxBackoffMs());
    double raw =
        policy.initialBackoffMs() * Math.pow(policy.multiplier(), Math.max(0, attemptsMade - 1));
    if (Double.isNaN(raw) || raw >= max) {
      return max;
    }
    return Math.max(0, (long) raw);
  }

  private static Duration delay(
      TargetSpec.RetryPolicy policy,
      int attemptsMade,
      Optional<Duration> retryAfter,
      RandomGenerator random) {
    long ceiling = backoffCeilingMs(policy, attemptsMade);
    Duration jittered = Duration.ofMillis(ceiling == 0 ? 0 : random.nextLong(0, ceiling + 1));
    if (retryAfter.isEmpty()) {
      return jittered;
    }
    Duration cap = Duration.ofMillis(Math.max(policy.maxBackoffMs(), 0));
    if (cap.compareTo(RETRY_AFTER_FLOOR_CAP) < 0) {
      cap = RETRY_AFTER_FLOOR_CAP;
    }
    Duration asked = retryAfter.get().isNegative() ? Duration.ZERO : retryAfter.get();
    Duration honoured = asked.compareTo(cap) > 0 ? cap : asked;
    return honoured.compareTo(jittered) > 0 ? honoured : jittered;
  }
}
