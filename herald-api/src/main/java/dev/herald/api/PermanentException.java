package dev.herald.api;

/** A failure that trying again will not fix (invalid input, a 4xx answer, a closed resource). */
public class PermanentException extends HeraldException {
  private static final long serialVersionUID = 1L;

  public PermanentException(String message) {
    super(message, null);
  }

  public PermanentException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public final boolean retryable() {
    return false;
  }
}
