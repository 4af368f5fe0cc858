package dev.herald.engine.delivery;

import java.time.Instant;

/**
 * What came of one attempt, as the ledger records it. A failure's code and message are kept fit to
 * store ({@link ErrorText}): at most 64 and 1,000 characters, control characters as spaces.
 */
public sealed interface AttemptResult {
  Work work();

  Instant at();

  /** The target took it. */
  record Delivered(Work work, Instant at) implements AttemptResult {}

  /** The journal already records this delivery key as delivered: not invoked again. */
  record SkippedDuplicate(Work work, Instant at) implements AttemptResult {}

  /**
   * Failed for now; the next attempt is due at {@code due}. {@code inPlace}: an ordered target
   * retries in place (the journal records the failure, nothing is scheduled in the store).
   */
  record Retrying(Work work, Instant at, Instant due, String code, String message, boolean inPlace)
      implements AttemptResult {
    public Retrying {
      code = ErrorText.code(code);
      message = ErrorText.message(message);
    }
  }

  /** Failed for good, or out of attempts or time: a dead letter. */
  record DeadLettered(Work work, Instant at, String code, String message) implements AttemptResult {
    public DeadLettered {
      code = ErrorText.code(code);
      message = ErrorText.message(message);
    }
  }
}
