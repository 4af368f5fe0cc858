package dev.herald.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A configuration object as stored, with its version and times.
 *
 * @param spec the object as configured
 * @param version 1 when created, plus 1 per update; the {@code If-Match} value of the admin API
 * @param createdAt when the object was created
 * @param updatedAt when the object last changed (equal to {@code createdAt} until then)
 * @param changedBy who created or last changed it (an API key id, {@code "anonymous"} while auth
 *     was off, {@code "herald"}); empty when unknown (changed before Herald recorded it)
 * @param <T> the configuration type ({@code TargetSpec}, {@code RuleSpec})
 */
public record Stored<T>(
    T spec, long version, Instant createdAt, Instant updatedAt, Optional<String> changedBy) {

  public Stored {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(changedBy, "changedBy");
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1, got " + version);
    }
  }
}
