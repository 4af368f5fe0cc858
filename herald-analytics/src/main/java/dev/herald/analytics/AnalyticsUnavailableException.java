package dev.herald.analytics;

import dev.herald.api.RetryableException;

/**
 * The analytics store could not do what was asked right now: the database did not open, is
 * unreachable, busy or full, the appender's queue stayed full, or the batch failed. The cause
 * (usually a {@link java.sql.SQLException}) is kept.
 *
 * <p>Callers treat it as retryable: the same call may succeed later (the analytics target retries
 * the delivery; the counts API answers 503).
 */
public final class AnalyticsUnavailableException extends RetryableException {
  private static final long serialVersionUID = 1L;

  public AnalyticsUnavailableException(String message) {
    super(message);
  }

  public AnalyticsUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
