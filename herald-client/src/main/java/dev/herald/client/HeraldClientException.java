package dev.herald.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** An error answered by Herald (or the failure to reach it), with the API's error code. */
public final class HeraldClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String field;
  private final transient Optional<Duration> retryAfter;

  public HeraldClientException(int status, String code, String message, String field) {
    this(status, code, message, field, Optional.empty());
  }

  /**
   * @param retryAfter how long Herald asked to wait before trying again (its {@code Retry-After}
   *     header on a 429 or 503)
   */
  public HeraldClientException(
      int status, String code, String message, String field, Optional<Duration> retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /** How long Herald asked to wait before trying again ({@code Retry-After}), when it did. */
  public Optional<Duration> retryAfter() {
    return retryAfter;
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
