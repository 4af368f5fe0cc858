package dev.herald.store;

import dev.herald.core.audit.AuditEntry;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an append to the audit log did.
 *
 * @param appended the entries added, in seq order (the order the records were given)
 * @param duplicates the delivery keys the log already held (or that came earlier in the same
 *     append), in the order given: nothing was added for them
 */
public record AuditAppend(List<AuditEntry> appended, List<String> duplicates) {
  public AuditAppend {
    appended = List.copyOf(appended);
    duplicates = List.copyOf(duplicates);
  }

  /** The delivery keys that were new. */
  public Set<String> appendedKeys() {
    return appended.stream()
        .map(e -> e.record().deliveryKey())
        .collect(Collectors.toUnmodifiableSet());
  }
}
