/**
 * The queues of queue targets: messages, leases, and their delivery keys. Internal to herald-store.
 */
package dev.herald.store.internal.queue;
