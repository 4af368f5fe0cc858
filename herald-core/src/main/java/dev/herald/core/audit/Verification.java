package dev.herald.core.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * What a check of the chain found.
 *
 * @param entries how many entries verified, in order from seq 1; when broken, those before the
 *     first broken one
 * @param head the last verified entry's chain hash ({@link AuditChain#GENESIS} for an empty log)
 * @param firstBroken where the chain first fails, empty when it is valid
 */
public record Verification(long entries, String head, Optional<Break> firstBroken) {

  public Verification {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(firstBroken, "firstBroken");
  }

  /** Whether every entry verified. */
  public boolean valid() {
    return firstBroken.isEmpty();
  }

  /** Why an entry breaks the chain. */
  public enum Reason {
    /** The stored event hash is not the SHA-256 of the stored envelope. */
    EVENT_HASH_MISMATCH("event hash mismatch"),
    /**
     * The stored chain hash is not the hash of the entry's fields, or its previous hash is not the
     * previous entry's chain hash (or the stored head's).
     */
    CHAIN_HASH_MISMATCH("chain hash mismatch"),
    /** An entry is missing: the sequence skips a number, or ends before the stored head. */
    SEQUENCE_GAP("sequence gap");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    /** As the API writes it, e.g. {@code "event hash mismatch"}. */
    public String text() {
      return text;
    }
  }

  /**
   * The first place the chain fails.
   *
   * @param seq the seq of the broken entry; for a gap, the first missing seq
   * @param message what exactly does not match
   * @param entry the stored entry that is broken; empty for a gap (the entry is missing)
   */
  public record Break(long seq, Reason reason, String message, Optional<AuditEntry> entry) {
    public Break {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(entry, "entry");
    }
  }
}
