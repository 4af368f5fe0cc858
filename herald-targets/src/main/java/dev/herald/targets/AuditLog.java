package dev.herald.targets;

import dev.herald.core.audit.AuditRecord;

/**
 * The audit log that {@code audit} targets append to: herald-server implements it over the state
 * store and provides it through {@link TargetServices}.
 *
 * <p>Implementations are thread-safe: many deliveries append at once.
 */
public interface AuditLog {

  /**
   * Appends {@code record} as the next entry of the chain, unless the log already holds its
   * delivery key; exactly once per delivery key, checked in the transaction that appends.
   *
   * @return {@code true} when it was appended, {@code false} when the key was there already (a
   *     duplicate is not an error)
   * @throws dev.herald.api.RetryableException when the log cannot be written right now
   */
  boolean append(AuditRecord record);
}
