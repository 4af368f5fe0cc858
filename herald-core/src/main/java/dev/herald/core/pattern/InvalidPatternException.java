package dev.herald.core.pattern;

import dev.herald.api.PermanentException;
import java.util.Objects;
import java.util.Optional;

/**
 * An event pattern that Herald refuses to store: not JSON, not an object, an unknown operator, a
 * malformed operand, or over the size or complexity limit of {@link PatternCompiler}.
 *
 * <p>The message says what is wrong and, when it can be pinned down, where: {@link #field()} is the
 * path inside the pattern ({@code detail.state[0].numeric[1]}, {@code $or[1].source}) that the API
 * reports as the error's {@code field} (prefixed with {@code pattern.}). Immutable.
 */
public final class InvalidPatternException extends PermanentException {
  private static final long serialVersionUID = 1L;

  /** The error code of the HTTP and AWS APIs for a rejected pattern. */
  public static final String CODE = "InvalidPattern";

  private final String field;

  /**
   * A rejected pattern.
   *
   * @param reason what is wrong, without the location
   * @param field the path inside the pattern where it is wrong, or null when the pattern as a whole
   *     is at fault
   */
  public InvalidPatternException(String reason, String field) {
    super(message(reason, field));
    this.field = field == null || field.isEmpty() ? null : field;
  }

  /** The path inside the pattern where the problem is, if it concerns one place. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }

  private static String message(String reason, String field) {
    Objects.requireNonNull(reason, "reason");
    return field == null || field.isEmpty() ? reason : reason + " (at " + field + ")";
  }
}
