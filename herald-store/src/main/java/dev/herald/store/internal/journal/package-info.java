/**
 * The delivery ledger role: routings (journeys) and the delivery journal, their retention (day
 * partitions on PostgreSQL), and the one-transaction writes of routing and delivery results.
 * Internal to herald-store.
 */
package dev.herald.store.internal.journal;
