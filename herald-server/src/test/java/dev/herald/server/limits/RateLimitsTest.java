package dev.herald.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Limits per key and per bus on a clock moved by hand: what they charge, refuse, log, count. */
class RateLimitsTest {
  static final Optional<String> KEY = Optional.of("hk_pub");

  Instant now = Instant.parse("2026-01-01T00:00:00Z");
  final InstantSource clock = () -> now;
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  RateLimits limits(String perKey, String perBus) {
    return new RateLimits(
        RateLimitSettings.of(
            Map.of(
                RateLimitSettings.PER_KEY, perKey,
                RateLimitSettings.PER_BUS, perBus)),
        clock,
        metrics);
  }

  static List<Optional<String>> entries(String bus, int count) {
    return new ArrayList<>(Collections.nCopies(count, Optional.of(bus)));
  }

  double refused(String limit, String name) {
    var counter =
        metrics.find("herald.ratelimit.refused").tag("limit", limit).tag("name", name).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void publishingCostsOneTokenPerEntryOfTheKey() {
    RateLimits limits = limits("10", "");

    assertThat(limits.admitPublish(KEY, entries("orders", 10))).isEmpty();
    var refusal = limits.admitPublish(KEY, entries("orders", 1));

    assertThat(refusal).isPresent();
    assertThat(refusal.get().retryAfterSeconds()).isEqualTo(1);
    assertThat(refusal.get().message())
        .contains("key 'hk_pub'")
        .contains("at most 10 requests or events per second");
    assertThat(refusal.get().field()).isEmpty();
    assertThat(refused("key", "hk_pub")).isEqualTo(1);

    now = now.plusMillis(100);
    assertThat(limits.admitPublish(KEY, entries("orders", 1))).isEmpty();
  }

  @Test
  void otherRequestsCostOneTokenAndKeysAreLimitedApart() {
    RateLimits limits = limits("2,hk_ops=unlimited", "");

    assertThat(limits.admitRequest(KEY)).isEmpty();
    assertThat(limits.admitRequest(KEY)).isEmpty();
    assertThat(limits.admitRequest(KEY)).isPresent();

    assertThat(limits.admitRequest(Optional.of("hk_other"))).isEmpty();
    for (int i = 0; i < 100; i++) {
      assertThat(limits.admitRequest(Optional.of("hk_ops"))).isEmpty();
    }
    assertThat(limits.admitRequest(Optional.empty())).isEmpty(); // auth off: no key
  }

  @Test
  void eachBusHasItsOwnLimitAlsoWithAuthOff() {
    RateLimits limits = limits("", "5,bulk=100");
    List<Optional<String>> mixed = entries("orders", 4);
    mixed.addAll(entries("bulk", 50));

    assertThat(limits.admitPublish(Optional.empty(), mixed)).isEmpty();
    var refusal =
        limits.admitPublish(
            Optional.empty(),
            List.of(Optional.of("bulk"), Optional.of("orders"), Optional.of("orders")));

    assertThat(refusal).isPresent();
    assertThat(refusal.get().field()).contains("entries[1].bus");
    assertThat(refusal.get().message()).contains("bus 'orders'").contains("this request counts 2");
    assertThat(limits.admitPublish(Optional.empty(), entries("payments", 5))).isEmpty();
    assertThat(refused("bus", "orders")).isEqualTo(1);
  }

  @Test
  void aRequestRefusedByABusTakesNoTokenFromTheKeyNorFromOtherBuses() {
    RateLimits limits = limits("10", "3");
    assertThat(limits.admitPublish(KEY, entries("full", 3))).isEmpty();
    List<Optional<String>> request = entries("free", 3);
    request.addAll(entries("full", 1));

    assertThat(limits.admitPublish(KEY, request)).isPresent();
    assertThat(limits.admitPublish(KEY, request)).isPresent();

    // the key still holds 7 tokens and "free" 3: both pass what they could pay for
    assertThat(limits.admitPublish(KEY, entries("free", 3))).isEmpty();
    assertThat(limits.admitPublish(KEY, entries("other", 3))).isEmpty();
    assertThat(limits.admitPublish(KEY, entries("another", 1))).isEmpty();
    assertThat(limits.admitPublish(KEY, entries("another", 1))).isPresent();
  }

  @Test
  void entriesWithoutAValidBusCostTheKeyOnly() {
    RateLimits limits = limits("3", "1");

    assertThat(
            limits.admitPublish(
                KEY, List.of(Optional.empty(), Optional.empty(), Optional.of("orders"))))
        .isEmpty();
    assertThat(limits.admitPublish(KEY, List.of(Optional.empty()))).isPresent();
  }

  @Test
  void retryAfterIsTheWholeSecondsUntilTheRequestWouldPass() {
    RateLimits limits = limits("", "2");
    assertThat(limits.admitPublish(Optional.empty(), entries("orders", 20))).isEmpty();

    var refusal = limits.admitPublish(Optional.empty(), entries("orders", 2));

    assertThat(refusal.orElseThrow().retryAfterSeconds()).isEqualTo(10); // 18 owed + 2, at 2/s
    now = now.plusSeconds(9);
    assertThat(limits.admitPublish(Optional.empty(), entries("orders", 2))).isPresent();
    now = now.plusSeconds(1);
    assertThat(limits.admitPublish(Optional.empty(), entries("orders", 2))).isEmpty();
  }

  @Test
  void aLimitedKeyIsLoggedOnceThenAtMostOnceAMinute() {
    Logger logger = (Logger) LoggerFactory.getLogger(RateLimits.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      RateLimits limits = limits("1", "");
      limits.admitRequest(KEY);
      for (int i = 0; i < 50; i++) {
        assertThat(limits.admitRequest(KEY)).isPresent();
        now = now.plusMillis(10);
      }
      assertThat(appender.list).hasSize(1);
      assertThat(appender.list.get(0).getFormattedMessage())
          .isEqualTo("rate limit: key hk_pub is being limited to 1/s (429 answered)");

      now = now.plus(Duration.ofMinutes(1));
      limits.admitRequest(KEY);
      assertThat(limits.admitRequest(KEY)).isPresent();

      assertThat(appender.list).hasSize(2);
      assertThat(appender.list.get(1).getFormattedMessage())
          .startsWith(
              "rate limit: key hk_pub is being limited to 1/s (50 requests refused in the last");
      assertThat(refused("key", "hk_pub")).isEqualTo(51);
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void idleBucketsAreForgottenOnceThereAreMany() {
    RateLimits limits = limits("", "1");
    for (int i = 0; i <= RateLimits.MAX_BUCKETS + 10; i++) {
      assertThat(limits.admitPublish(Optional.empty(), entries("bus-" + i, 1))).isEmpty();
      now = now.plusMillis(1);
    }
    now = now.plusSeconds(2);

    // a new bus makes room by forgetting the full buckets; a drained bucket stays refused
    assertThat(limits.admitPublish(Optional.empty(), entries("drained", 1))).isEmpty();
    assertThat(limits.admitPublish(Optional.empty(), entries("drained", 1))).isPresent();
    assertThat(limits.bucketCount()).isLessThan(RateLimits.MAX_BUCKETS);
  }
}
