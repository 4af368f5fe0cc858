package dev.herald.client;

/** An error answered by Herald (or the failure to reach it), with the API's error code. */
public final class HeraldClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String field;

  public HeraldClientException(int status, String code, String message, String field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** The HTTP status, or 0 when Herald could not be reached. */
  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The field at fault, or null. */
  public String field() {
    return field;
  }

  @Override
  @SuppressWarnings("OverrideThrowableToString") // getMessage stays Herald's message as sent
  public String toString() {
    return code + ": " + getMessage() + (field == null ? "" : " (field " + field + ")");
  }
}
