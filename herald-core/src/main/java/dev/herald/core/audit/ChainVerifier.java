package dev.herald.core.audit;

import dev.herald.core.audit.Verification.Break;
import dev.herald.core.audit.Verification.Reason;
import java.util.Objects;
import java.util.Optional;

/**
 * Recomputes the chain one entry at a time, in seq order from seq 1, so that a log of any length is
 * checked in constant memory: feed every entry to {@link #accept} until it returns {@code false},
 * then call {@link #finish}.
 *
 * <p>Each entry is checked in this order: its seq follows the previous one ({@code sequence gap}),
 * its event hash is the envelope's ({@code event hash mismatch}), its previous hash is the previous
 * entry's chain hash and its chain hash is the hash of its fields ({@code chain hash mismatch}).
 * The first failure is kept; later entries are not looked at.
 *
 * <p><b>Thread safety.</b> Not thread-safe: one verifier is fed by one thread.
 */
public final class ChainVerifier {
  private long expectedSeq = 1;
  private String prevHash = AuditChain.GENESIS;
  private long verified;
  private Optional<Break> broken = Optional.empty();

  /**
   * Checks the next entry.
   *
   * @return whether the chain still holds: {@code false} once an entry broke it (stop feeding)
   */
  public boolean accept(AuditEntry entry) {
    Objects.requireNonNull(entry, "entry");
    if (broken.isPresent()) {
      return false;
    }
    broken = check(entry);
    if (broken.isPresent()) {
      return false;
    }
    verified++;
    expectedSeq++;
    prevHash = entry.hash();
    return true;
  }

  /**
   * The result, given the head the log recorded when the check started ({@link AuditHead#GENESIS}
   * when it records none): entries missing before it are a gap, and its hash must be the last
   * entry's.
   */
  public Verification finish(AuditHead storedHead) {
    if (broken.isEmpty() && storedHead.seq() >= expectedSeq) {
      broken =
          Optional.of(
              gap(
                  "the log's head is at seq "
                      + storedHead.seq()
                      + " but the entries end at seq "
                      + (expectedSeq - 1)));
    } else if (broken.isEmpty()
        && storedHead.seq() == expectedSeq - 1
        && storedHead.seq() > 0
        && !storedHead.hash().equals(prevHash)) {
      broken =
          Optional.of(
              new Break(
                  storedHead.seq(),
                  Reason.CHAIN_HASH_MISMATCH,
                  "the log's head hash " + storedHead.hash() + " is not the last entry's hash",
                  Optional.empty()));
    }
    return new Verification(verified, prevHash, broken);
  }

  private Optional<Break> check(AuditEntry entry) {
    if (entry.seq() != expectedSeq) {
      return Optional.of(gap("expected seq " + expectedSeq + ", found seq " + entry.seq()));
    }
    String eventHash = AuditChain.eventHash(entry.record().envelope());
    if (!eventHash.equals(entry.eventHash())) {
      return broken(
          entry,
          Reason.EVENT_HASH_MISMATCH,
          "the envelope hashes to " + eventHash + ", the entry records " + entry.eventHash());
    }
    if (!prevHash.equals(entry.prevHash())) {
      return broken(
          entry,
          Reason.CHAIN_HASH_MISMATCH,
          "previous hash " + entry.prevHash() + " is not the previous entry's hash " + prevHash);
    }
    String hash =
        AuditChain.chainHash(
            entry.prevHash(), entry.eventHash(), entry.seq(), entry.record(), entry.recordedAt());
    if (!hash.equals(entry.hash())) {
      return broken(
          entry,
          Reason.CHAIN_HASH_MISMATCH,
          "the entry's fields hash to " + hash + ", the entry records " + entry.hash());
    }
    return Optional.empty();
  }

  private Break gap(String message) {
    return new Break(expectedSeq, Reason.SEQUENCE_GAP, message, Optional.empty());
  }

  private static Optional<Break> broken(AuditEntry entry, Reason reason, String message) {
    return Optional.of(new Break(entry.seq(), reason, message, Optional.of(entry)));
  }
}
