/**
 * The API keys role: keys, their sealed secrets and when they were last used. Internal to
 * herald-store.
 */
package dev.herald.store.internal.key;
