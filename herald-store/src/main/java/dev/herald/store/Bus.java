package dev.herald.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A bus as stored: its name, the ordinal encoded in the ids of its events, and its settings.
 *
 * @param name the bus name, unique
 * @param ordinal 0..65535, assigned once when the bus is created and never reused while it exists
 * @param description free text, empty when none
 * @param archiveRetentionDays how long the bus topic (the archive) keeps events
 * @param version incremented on every change; the {@code If-Match} value of the admin API
 * @param createdAt when the bus was created
 * @param updatedAt when the bus last changed
 * @param changedBy who created or last changed it (see {@link Stored#changedBy}); empty when
 *     unknown
 */
public record Bus(
    String name,
    int ordinal,
    String description,
    int archiveRetentionDays,
    long version,
    Instant createdAt,
    Instant updatedAt,
    Optional<String> changedBy) {

  /** The largest ordinal: ordinals are 16 bits of an event id. */
  public static final int MAX_ORDINAL = 0xFFFF;

  public Bus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(changedBy, "changedBy");
    if (ordinal < 0 || ordinal > MAX_ORDINAL) {
      throw new IllegalArgumentException(
          "ordinal must be between 0 and " + MAX_ORDINAL + ", got " + ordinal);
    }
    if (archiveRetentionDays < 0) {
      throw new IllegalArgumentException(
          "archiveRetentionDays must not be negative, got " + archiveRetentionDays);
    }
  }
}
