package dev.herald.client;

import java.util.Objects;
import java.util.Optional;

/**
 * Which audit entries to list: appended at or after {@code from} and before {@code to} (RFC 3339
 * times, checked by Herald), with this {@code source} and {@code detailType}; empty for no
 * condition.
 */
public record AuditQuery(
    Optional<String> from,
    Optional<String> to,
    Optional<String> source,
    Optional<String> detailType) {

  /** Every entry. */
  public static final AuditQuery ALL =
      new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public AuditQuery {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(detailType, "detailType");
  }
}
