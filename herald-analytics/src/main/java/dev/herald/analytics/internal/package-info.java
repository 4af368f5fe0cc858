/**
 * Implementation of the analytics store. Not for use outside {@code herald-analytics}: other
 * modules use {@link dev.herald.analytics.AnalyticsStore}.
 */
package dev.herald.analytics.internal;
