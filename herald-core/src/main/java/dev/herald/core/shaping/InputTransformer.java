package dev.herald.core.shaping;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rule-target's {@code inputTransformer}, as configured: EventBridge's {@code InputPathsMap} and
 * {@code InputTemplate}. This record only holds the two fields (in the order given, a null map read
 * as empty); {@link InputShape#compile} checks them and says which field is wrong.
 *
 * @param paths variable name to JSONPath into the delivered envelope, at most {@value #MAX_PATHS}
 * @param template the output, with {@code <variable>} placeholders; see {@link InputShape}
 */
public record InputTransformer(Map<String, String> paths, String template) {
  /** The most variables a transformer may define, as EventBridge. */
  public static final int MAX_PATHS = 100;

  /** The longest template, as EventBridge's {@code InputTemplate}. */
  public static final int MAX_TEMPLATE_LENGTH = 8192;

  public InputTransformer {
    paths = paths == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(paths));
    if (template == null) {
      throw new InvalidShapeException(
          "inputTransformer.template", "inputTransformer.template is required");
    }
  }
}
