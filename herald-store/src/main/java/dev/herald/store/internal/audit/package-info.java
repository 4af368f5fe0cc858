/** The audit log role: the hash-chained, append-only log and its head. Internal to herald-store. */
package dev.herald.store.internal.audit;
