/**
 * Herald's state store: {@link dev.herald.store.StateStore}, opened from a {@link
 * dev.herald.store.StoreConfig}, SQLite in embedded mode and PostgreSQL in cluster mode.
 */
package dev.herald.store;
