package dev.herald.server.analytics;

import dev.herald.analytics.AnalyticsStats;
import dev.herald.analytics.AnalyticsStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToLongFunction;

/**
 * The analytics store's appender in Prometheus: {@code herald_analytics_rows_total} by result
 * ({@code stored}, {@code duplicate}, {@code failed}), {@code herald_analytics_batches_total} (rows
 * over batches is the mean batch size) and {@code herald_analytics_queue_rows}, read from {@link
 * AnalyticsStore#stats()} at each scrape. Stateless.
 */
public final class AnalyticsMetrics {
  private AnalyticsMetrics() {}

  /** Registers the meters of {@code store} in {@code metrics}. */
  public static void bind(AnalyticsStore store, MeterRegistry metrics) {
    rows(store, metrics, "stored", AnalyticsStats::stored);
    rows(store, metrics, "duplicate", AnalyticsStats::duplicates);
    rows(store, metrics, "failed", AnalyticsStats::failed);
    FunctionCounter.builder("herald.analytics.batches", store, s -> s.stats().batches())
        .description("Batches the analytics appender wrote, each one transaction")
        .register(metrics);
    Gauge.builder("herald.analytics.queue.rows", store, s -> s.stats().queuedRows())
        .description("Rows waiting for the analytics appender or being written")
        .register(metrics);
  }

  private static void rows(
      AnalyticsStore store,
      MeterRegistry metrics,
      String result,
      ToLongFunction<AnalyticsStats> count) {
    FunctionCounter.builder("herald.analytics.rows", store, s -> count.applyAsLong(s.stats()))
        .tag("result", result)
        .description("Rows the analytics appender wrote: stored, skipped as duplicate, failed")
        .register(metrics);
  }
}
