package dev.herald.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What a redrive does with one dead letter, decided by the caller from the letter it read (see
 * {@link DeadLetterStore#redrive}): schedule it as a retry, or keep it with a new error.
 */
public sealed interface Redrive {

  /** The id of the dead letter this is about. */
  String letterId();

  /**
   * Take the letter and schedule {@code retry} in its place.
   *
   * @param letterId the dead letter's id
   * @param retry the retry to schedule, of the letter's target
   */
  record Retry(String letterId, ScheduledRetry retry) implements Redrive {
    public Retry {
      Objects.requireNonNull(letterId, "letterId");
      Objects.requireNonNull(retry, "retry");
    }
  }

  /**
   * Keep the letter (same id), with this error as its last one, e.g. when its input cannot be
   * shaped again.
   *
   * @param letterId the dead letter's id
   * @param errorCode the new error's code
   * @param errorMessage the new error's message
   * @param at when the redrive was tried: the letter's new last attempt time
   */
  record StillDead(String letterId, String errorCode, String errorMessage, Instant at)
      implements Redrive {
    public StillDead {
      Objects.requireNonNull(letterId, "letterId");
      Objects.requireNonNull(errorCode, "errorCode");
      Objects.requireNonNull(errorMessage, "errorMessage");
      Objects.requireNonNull(at, "at");
    }
  }
}
