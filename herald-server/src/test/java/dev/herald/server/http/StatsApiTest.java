package dev.herald.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The p99 the console shows, from two snapshots of an attempt-latency histogram. */
class StatsApiTest {
  private final Timer timer =
      Timer.builder("herald.delivery.attempt.latency")
          .tag("target", "t")
          .serviceLevelObjectives(
              Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofMillis(500))
          .register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

  @Test
  void theP99IsTheBoundOfTheBucketHolding99PercentOfTheAttemptsOfTheWindow() {
    for (int i = 0; i < 1000; i++) {
      timer.record(Duration.ofMillis(100)); // before the window: slow
    }
    CountAtBucket[] before = timer.takeSnapshot().histogramCounts();
    long countBefore = timer.count();
    for (int i = 0; i < 995; i++) {
      timer.record(Duration.ofMillis(2));
    }
    for (int i = 0; i < 5; i++) {
      timer.record(Duration.ofMillis(40));
    }
    CountAtBucket[] now = timer.takeSnapshot().histogramCounts();

    assertThat(StatsApi.p99(before, now, timer.count() - countBefore)).contains(5.0);
  }

  @Test
  void noAttemptsOrAP99PastTheLastBucketIsNone() {
    CountAtBucket[] before = timer.takeSnapshot().histogramCounts();
    assertThat(StatsApi.p99(before, before, 0)).isEmpty();
    for (int i = 0; i < 10; i++) {
      timer.record(Duration.ofSeconds(2));
    }
    assertThat(StatsApi.p99(before, timer.takeSnapshot().histogramCounts(), 10)).isEmpty();
  }
}
