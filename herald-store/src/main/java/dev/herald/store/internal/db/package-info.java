/**
 * The databases behind the store (SQLite with its single batching writer, PostgreSQL with a pool),
 * migrations, and the SQL helpers and call guard every role shares. Internal to herald-store.
 */
package dev.herald.store.internal.db;
