package dev.herald.analytics;

import dev.herald.api.PermanentException;

/**
 * The analytics store was closed, or is closing, and takes no more calls. Retrying the call will
 * not help.
 */
public final class AnalyticsClosedException extends PermanentException {
  private static final long serialVersionUID = 1L;

  public AnalyticsClosedException(String message) {
    super(message);
  }
}
