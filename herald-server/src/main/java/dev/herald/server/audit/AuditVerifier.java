package dev.herald.server.audit;

import dev.herald.core.audit.AuditEntry;
import dev.herald.core.audit.AuditHead;
import dev.herald.core.audit.ChainVerifier;
import dev.herald.core.audit.Verification;
import dev.herald.store.AuditStore;
import java.util.stream.Stream;

/**
 * Verifies the audit log: reads the head, then streams the entries up to it from seq 1, a chunk at
 * a time, through a {@link ChainVerifier}, stopping at the first broken entry. Entries appended
 * while it runs are left for the next verification.
 *
 * <p>Thread-safe: stateless; each call has its own verifier.
 */
public final class AuditVerifier {
  private final AuditStore store;

  public AuditVerifier(AuditStore store) {
    this.store = store;
  }

  /**
   * Checks the whole chain.
   *
   * @throws dev.herald.store.StoreUnavailableException when the log cannot be read
   */
  public Verification verify() {
    AuditHead head = store.auditHead();
    ChainVerifier verifier = new ChainVerifier();
    try (Stream<AuditEntry> entries = store.streamAudit(0, head.seq())) {
      entries.takeWhile(verifier::accept).forEach(entry -> {});
    }
    return verifier.finish(head);
  }
}
