package dev.herald.targets.internal.http;

import dev.herald.api.delivery.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Maps an HTTP answer to an {@link Outcome}: 2xx delivered; 408, 429 and 5xx retried (honouring
 * {@code Retry-After}, in seconds or as an HTTP date); 410 gone; 3xx (never followed) and other
 * statuses permanent. Stateless.
 */
public final class HttpOutcomes {
  private HttpOutcomes() {}

  public static Outcome of(Http1.Response response, String what, Instant now) {
    int status = response.status();
    if (status >= 200 && status < 300) {
      return new Outcome.Delivered(); // no message for a success: it reads the body
    }
    String code = "HttpStatus" + status;
    String message = what + " answered " + status + detail(response);
    if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
      return new Outcome.Retry(code, message, retryAfter(response, now));
    }
    if (status == 410) {
      return new Outcome.Gone(code, message);
    }
    return new Outcome.Permanent(code, message);
  }

  private static String detail(Http1.Response response) {
    int status = response.status();
    if (status >= 300 && status < 400) {
      return "; redirect to "
          + response.header("location").orElse("(no Location)")
          + " not followed";
    }
    String excerpt = response.bodyExcerpt();
    return excerpt.isEmpty() ? "" : ": " + excerpt;
  }

  /** The {@code Retry-After} header as a delay from {@code now}; absent if missing or invalid. */
  static Optional<Duration> retryAfter(Http1.Response response, Instant now) {
    Optional<String> header = response.header("retry-after").map(String::strip);
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get();
    if (value.matches("[0-9]{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration delay = Duration.between(now, at);
      return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
