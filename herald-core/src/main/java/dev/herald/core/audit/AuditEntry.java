package dev.herald.core.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * An entry of the audit log, as stored: the record, where it sits in the chain and its hashes
 * ({@link AuditChain} defines them).
 *
 * @param seq its position: 1 for the first entry, then one more per entry, without gaps
 * @param record what was delivered
 * @param recordedAt when it was appended (milliseconds); never earlier than the previous entry's
 * @param eventHash SHA-256 of {@code record.envelope()}, lowercase hex
 * @param prevHash the previous entry's {@code hash}; {@link AuditChain#GENESIS} for seq 1
 * @param hash this entry's chain hash
 */
public record AuditEntry(
    long seq,
    AuditRecord record,
    Instant recordedAt,
    String eventHash,
    String prevHash,
    String hash) {

  public AuditEntry {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(recordedAt, "recordedAt");
    Objects.requireNonNull(eventHash, "eventHash");
    Objects.requireNonNull(prevHash, "prevHash");
    Objects.requireNonNull(hash, "hash");
  }

  /** The head of a chain that ends with this entry. */
  public AuditHead asHead() {
    return new AuditHead(seq, hash, recordedAt);
  }
}
