package dev.herald.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which audit entries a list shows. Every given condition must hold.
 *
 * @param from entries appended at or after this time (the append time, not the event's)
 * @param to entries appended before this time
 * @param source entries whose envelope's {@code source} is exactly this
 * @param detailType entries whose envelope's {@code detail-type} is exactly this
 */
public record AuditFilter(
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<String> source,
    Optional<String> detailType) {

  /** Every entry. */
  public static final AuditFilter ALL =
      new AuditFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * @throws IllegalArgumentException when {@code to} is not after {@code from}
   */
  public AuditFilter {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(detailType, "detailType");
    if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
      throw new IllegalArgumentException(
          "to (" + to.get() + ") must be after from (" + from.get() + ")");
    }
  }
}
