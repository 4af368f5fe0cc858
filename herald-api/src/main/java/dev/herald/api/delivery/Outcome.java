package dev.herald.api.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one delivery attempt. Codes are the API's dead-letter codes: {@code
 * HttpStatus<nnn>}, {@code SmtpStatus<nnn>}, {@code Timeout}, {@code ConnectionFailed}, {@code
 * ForbiddenAddress}, {@code TemplateError}, {@code InvalidAddress}, {@code
 * SmtpAuthenticationFailed}, {@code PermanentFailure}.
 */
public sealed interface Outcome
    permits Outcome.Delivered, Outcome.Retry, Outcome.Permanent, Outcome.Gone {

  /** The receiver accepted the delivery. */
  record Delivered() implements Outcome {}

  /**
   * The attempt failed in a way that may pass later; {@code retryAfter} is the receiver's own hint
   * ({@code Retry-After}), if it gave one.
   */
  record Retry(String code, String message, Optional<Duration> retryAfter) implements Outcome {
    public Retry {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Retry(String code, String message) {
      this(code, message, Optional.empty());
    }
  }

  /** The attempt failed and trying again will not help: the delivery becomes a dead letter. */
  record Permanent(String code, String message) implements Outcome {
    public Permanent {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  /** The receiver said it is gone for good (HTTP 410): the target should be disabled. */
  record Gone(String code, String message) implements Outcome {
    public Gone {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }
}
