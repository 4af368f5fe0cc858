package dev.herald.api;

/**
 * The root of Herald's exceptions. Its type, never its message, decides what happens next: a {@link
 * RetryableException} may succeed when tried again, a {@link PermanentException} will not.
 */
public abstract class HeraldException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected HeraldException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether trying the same thing again later may succeed. */
  public abstract boolean retryable();
}
