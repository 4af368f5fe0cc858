/**
 * The audit log on the running Herald: {@link dev.herald.server.audit.StoreAuditLog}, the state
 * store behind {@code audit} targets, and {@link dev.herald.server.audit.AuditVerifier}, which
 * recomputes the chain for {@code GET /v1/audit/verify}.
 */
package dev.herald.server.audit;
