/**
 * The configuration role: buses, targets (secrets sealed) and rules, with versions and foreign
 * keys. Internal to herald-store.
 */
package dev.herald.store.internal.config;
