/**
 * The audit log's hash chain, as pure functions: what an entry is ({@link
 * dev.herald.core.audit.AuditRecord} to append, {@link dev.herald.core.audit.AuditEntry} once
 * linked), how it is hashed ({@link dev.herald.core.audit.AuditChain}, where the canonical
 * definition is written down) and how a chain is checked, one entry at a time ({@link
 * dev.herald.core.audit.ChainVerifier}).
 *
 * <p>No I/O: the store links and keeps entries, the server streams them through a verifier.
 */
package dev.herald.core.audit;
