package dev.herald.store;

import dev.herald.api.RetryableException;

/**
 * The state store could not do what was asked right now: the database is unreachable, busy, full,
 * closed or rejected the statement. The cause (usually a {@link java.sql.SQLException}) is kept.
 *
 * <p>Callers treat it as retryable: the same call may succeed later (a health check turns it into
 * "not ready").
 */
public class StoreUnavailableException extends RetryableException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message) {
    super(message);
  }

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
