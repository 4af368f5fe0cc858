package dev.herald.core.shaping;

import dev.herald.api.PermanentException;

/**
 * Shaping the input of one event for one rule-target failed while routing (for example the output
 * of a JSON template is not valid JSON once the event's values are in it). Retrying cannot help:
 * the delivery becomes a dead letter with code {@value #CODE}.
 */
public final class TransformException extends PermanentException {
  private static final long serialVersionUID = 1L;

  /** The dead-letter error code of a shaping failure. */
  public static final String CODE = "TransformError";

  public TransformException(String message) {
    super(message);
  }

  public TransformException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Always {@value #CODE}. */
  public String code() {
    return CODE;
  }
}
