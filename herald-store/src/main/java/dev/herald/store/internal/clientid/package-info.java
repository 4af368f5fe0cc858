/** The client ids role: the client id dedupe window of ingest. Internal to herald-store. */
package dev.herald.store.internal.clientid;
