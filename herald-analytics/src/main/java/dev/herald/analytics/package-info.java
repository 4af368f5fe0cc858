/**
 * Herald's analytics store: {@link dev.herald.analytics.AnalyticsStore}, opened from an {@link
 * dev.herald.analytics.AnalyticsConfig}, DuckDB in embedded mode and PostgreSQL in cluster mode.
 */
package dev.herald.analytics;
