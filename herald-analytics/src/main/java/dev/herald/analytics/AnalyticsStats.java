package dev.herald.analytics;

/**
 * What the analytics store's appender has done since the store opened (all zero before).
 *
 * @param queuedRows rows waiting for the appender now, or being written
 * @param batches batches written, committed or failed
 * @param stored rows committed and counted
 * @param duplicates rows skipped because their delivery key was already stored
 * @param failed rows whose write failed (the delivery engine retries them)
 */
public record AnalyticsStats(
    long queuedRows, long batches, long stored, long duplicates, long failed) {

  /** Before the store opened. */
  public static final AnalyticsStats NONE = new AnalyticsStats(0, 0, 0, 0, 0);
}
