/**
 * The dead letters role: the dead_letters table, its redrive in one transaction. Internal to
 * herald-store.
 */
package dev.herald.store.internal.deadletter;
