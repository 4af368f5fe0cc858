package dev.herald.core.shaping;

import dev.herald.api.PermanentException;
import java.util.Objects;

/**
 * A rule-target's input shaping ({@code input}, {@code inputPath} or {@code inputTransformer}) that
 * cannot be stored. {@link #field()} names the offending field as the API spells it, relative to
 * the rule-target: {@code input}, {@code inputPath}, {@code inputTransformer.paths}, {@code
 * inputTransformer.paths.<variable>} or {@code inputTransformer.template}. The message is a
 * sentence that names the field and the value and says what is wrong, and where (a character
 * position) when that is known.
 */
public final class InvalidShapeException extends PermanentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidShapeException(String field, String message) {
    super(message);
    this.field = Objects.requireNonNull(field, "field");
  }

  /** The offending field, relative to the rule-target, e.g. {@code inputTransformer.paths.id}. */
  public String field() {
    return field;
  }
}
