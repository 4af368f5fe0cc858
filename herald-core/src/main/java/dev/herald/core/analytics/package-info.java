/** The analytics store's questions and answers: event counts per key and interval. */
package dev.herald.core.analytics;
