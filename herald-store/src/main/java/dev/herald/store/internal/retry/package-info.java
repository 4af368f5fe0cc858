/**
 * The scheduled retries role: the retries table and its claims under a lease. Internal to
 * herald-store.
 */
package dev.herald.store.internal.retry;
