package dev.herald.api;

/** A failure that may pass when tried again later (an unreachable store, a timeout, a 503). */
public class RetryableException extends HeraldException {
  private static final long serialVersionUID = 1L;

  public RetryableException(String message) {
    super(message, null);
  }

  public RetryableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public final boolean retryable() {
    return true;
  }
}
