package dev.herald.store;

import java.util.Arrays;
import java.util.Optional;

/**
 * The status of one delivery, as the journal keeps it and the API shows it (its {@link #text()}).
 */
public enum DeliveryStatus {
  /** Routed, not attempted yet. */
  PENDING("pending"),
  /** The target accepted it; never invoked again. */
  DELIVERED("delivered"),
  /** An attempt failed; another is scheduled (or, for an ordered target, made in place). */
  RETRYING("retrying"),
  /** It will not be attempted again on its own: a dead letter of its target. */
  DEAD_LETTERED("dead-lettered"),
  /** Not invoked: the journal already said delivered. */
  SKIPPED_DUPLICATE("skipped-duplicate");

  private final String text;

  DeliveryStatus(String text) {
    this.text = text;
  }

  /** The status as stored and answered by the API, e.g. {@code dead-lettered}. */
  public String text() {
    return text;
  }

  /** The status whose {@link #text()} is {@code text}, if there is one. */
  public static Optional<DeliveryStatus> fromText(String text) {
    return Arrays.stream(values()).filter(s -> s.text.equals(text)).findFirst();
  }

  /**
   * The status whose {@link #text()} is {@code text}.
   *
   * @throws IllegalArgumentException naming {@code field} and the valid texts when there is none
   */
  public static DeliveryStatus parse(String field, String text) {
    return fromText(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    field
                        + " must be one of "
                        + Arrays.stream(values()).map(DeliveryStatus::text).toList()
                        + ", got '"
                        + text
                        + "'"));
  }

  @Override
  public String toString() {
    return text;
  }
}
