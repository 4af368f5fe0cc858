package dev.herald.core.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * The end of the chain: the last entry's sequence number, chain hash and append time; {@link
 * #GENESIS} while the log is empty.
 */
public record AuditHead(long seq, String hash, Instant recordedAt) {
  /** The head of an empty log: seq 0, 64 zeros, the epoch. */
  public static final AuditHead GENESIS = new AuditHead(0, AuditChain.GENESIS, Instant.EPOCH);

  public AuditHead {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(recordedAt, "recordedAt");
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative, got " + seq);
    }
  }
}
