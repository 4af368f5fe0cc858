package dev.herald.bench.load;

import java.util.Map;

/** What one request (one batch of events) came back with. */
public sealed interface Outcome {

  /**
   * The system answered the batch: {@code accepted} entries stored, {@code failed} entries refused,
   * with the count per error code.
   */
  record Answered(int accepted, int failed, Map<String, Integer> errorCodes) implements Outcome {
    public Answered {
      errorCodes = Map.copyOf(errorCodes);
    }
  }

  /** An HTTP status other than 200: nothing in the batch counts as accepted. */
  record HttpError(int status) implements Outcome {}

  /** No answer: connection refused or reset, timeout, malformed response. */
  record Failure(String kind) implements Outcome {}
}
