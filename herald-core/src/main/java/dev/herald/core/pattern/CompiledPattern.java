package dev.herald.core.pattern;

import java.util.Objects;
import java.util.Set;

/**
 * An event pattern that passed {@link PatternCompiler#compile}: valid for event-ruler, within the
 * size and complexity limits, in canonical form.
 *
 * <p>A value: two compiled patterns are equal when their canonical JSON texts are. The canonical
 * text is the pattern without insignificant whitespace and with object keys in sorted order; number
 * tokens keep their original spelling. Immutable and thread-safe.
 */
public final class CompiledPattern {
  private final String json;
  private final Set<String> exactSources;
  private final Set<String> exactDetailTypes;

  CompiledPattern(String json, Set<String> exactSources, Set<String> exactDetailTypes) {
    this.json = Objects.requireNonNull(json, "json");
    this.exactSources = Set.copyOf(exactSources);
    this.exactDetailTypes = Set.copyOf(exactDetailTypes);
  }

  /** The canonical JSON text of the pattern, as stored and as handed to event-ruler. */
  public String json() {
    return json;
  }

  /**
   * The values that {@code source} must equal, when the pattern constrains it with plain exact
   * strings only (no operator, no {@code $or} touching it); empty otherwise. Derived from {@link
   * #json()}, so not part of equality.
   */
  Set<String> exactSources() {
    return exactSources;
  }

  /** Like {@link #exactSources()}, for {@code detail-type}. */
  Set<String> exactDetailTypes() {
    return exactDetailTypes;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CompiledPattern that && json.equals(that.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return json;
  }
}
