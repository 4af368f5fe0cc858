/**
 * Implementation of the state store. Not for use outside {@code herald-store}: other modules use
 * {@link dev.herald.store.StateStore}.
 */
package dev.herald.store.internal;
