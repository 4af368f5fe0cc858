package dev.herald.analytics.internal;

import dev.herald.analytics.AnalyticsConfig;
import dev.herald.analytics.AnalyticsStore;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Makes the {@link AnalyticsStore} an {@link AnalyticsConfig} names. Public only so that {@link
 * AnalyticsStore#open} can reach it; other modules call that instead. Stateless.
 */
public final class AnalyticsStoreFactory {
  private AnalyticsStoreFactory() {}

  /** The store, not opened yet: it opens on first use. */
  public static AnalyticsStore create(AnalyticsConfig config, InstantSource clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    if (config.url().isPresent()) {
      String url = config.url().get();
      return new LazyAnalyticsStore("postgresql", config, () -> PostgresAnalytics.open(url), clock);
    }
    return new LazyAnalyticsStore("duckdb", config, () -> DuckDbAnalytics.open(config), clock);
  }
}
