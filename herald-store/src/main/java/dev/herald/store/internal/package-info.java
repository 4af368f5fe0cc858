/**
 * Implementation of the state store: {@code JdbcStateStore} plays every role by handing each call
 * to the implementation of that role, which lives in the subpackage of its capability with its
 * repositories ({@code config}, {@code journal}, {@code retry}, {@code deadletter}, {@code queue},
 * {@code audit}, {@code clientid}); {@code db} holds the databases and what every role shares. Not
 * for use outside {@code herald-store}: other modules use {@link dev.herald.store.StateStore} and
 * its role interfaces.
 */
package dev.herald.store.internal;
