package dev.herald.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.engine.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class FailureLogTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private final FakeClock clock = new FakeClock(T0);
  private final FailureLog log = new FailureLog(clock);
  private final Logger logger = (Logger) LoggerFactory.getLogger(FailureLog.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
    MDC.clear();
  }

  private static AttemptResult.Retrying failure(String key, int attempt, String message) {
    Work work = Works.retry("hook", key, attempt, T0);
    return new AttemptResult.Retrying(
        work, T0, T0.plusSeconds(30), "HttpStatus503", message, false);
  }

  private static Map<String, Object> pairs(ILoggingEvent line) {
    return line.getKeyValuePairs().stream().collect(Collectors.toMap(kv -> kv.key, kv -> kv.value));
  }

  @Test
  void aFailedAttemptIsOneWarnLineWithTheDeliveryIdsCodeErrorAndNextAttempt() {
    log.failed(failure("k1", 2, "Service Unavailable"));

    assertThat(lines.list).hasSize(1);
    ILoggingEvent line = lines.list.getFirst();
    assertThat(line.getLevel()).isEqualTo(Level.WARN);
    assertThat(line.getFormattedMessage())
        .isEqualTo(
            "delivery to hook failed (attempt 2): HttpStatus503: Service Unavailable;"
                + " next attempt at 2026-12-01T10:00:30Z");
    assertThat(line.getMDCPropertyMap())
        .containsEntry("target", "hook")
        .containsEntry("eventId", "event-k1")
        .containsEntry("deliveryKey", "k1")
        .containsEntry("attempt", "2")
        .containsEntry("rule", "rule")
        .containsEntry("bus", "default");
    assertThat(pairs(line))
        .containsEntry("code", "HttpStatus503")
        .containsEntry("error", "Service Unavailable")
        .containsEntry("nextAttemptAt", "2026-12-01T10:00:30Z");
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty(); // the caller's MDC is left as it was
  }

  @Test
  void aDeadLetterIsOneWarnLineWithItsCode() {
    Work work = Works.retry("hook", "k9", 5, T0);
    log.deadLettered(new AttemptResult.DeadLettered(work, T0, "HttpStatus400", "Bad Request"));

    assertThat(lines.list)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.getFormattedMessage())
                  .isEqualTo(
                      "delivery to hook dead-lettered after 5 attempt(s): HttpStatus400: Bad Request");
              assertThat(line.getMDCPropertyMap()).containsEntry("deliveryKey", "k9");
              assertThat(pairs(line)).containsEntry("code", "HttpStatus400");
            });
  }

  @Test
  void identicalFailuresWithinTenSecondsAreCountedAndToldOnTheNextLine() {
    for (int i = 0; i < 58; i++) {
      log.failed(failure("k" + i, 1, "Service Unavailable"));
      clock.advance(Duration.ofMillis(100));
    }
    assertThat(lines.list).hasSize(1); // the first; 57 counted

    clock.advance(FailureLog.WINDOW);
    log.failed(failure("k100", 1, "Service Unavailable"));

    assertThat(lines.list).hasSize(2);
    ILoggingEvent told = lines.list.get(1);
    assertThat(told.getFormattedMessage()).endsWith("(and 57 more like it in the last 10 s)");
    assertThat(pairs(told)).containsEntry("suppressed", 57);
    assertThat(told.getMDCPropertyMap()).containsEntry("deliveryKey", "k100");
  }

  @Test
  void aDifferentFailureIsNotHeldBackByAnother() {
    log.failed(failure("k1", 1, "Service Unavailable"));
    log.failed(failure("k2", 1, "Gateway Timeout"));
    log.deadLettered(
        new AttemptResult.DeadLettered(
            Works.retry("hook", "k3", 3, T0), T0, "HttpStatus503", "Service Unavailable"));

    assertThat(lines.list).hasSize(3);
  }

  @Test
  void countedFailuresAreToldByFlushOnceTheWindowHasPassedWithoutAnother() {
    log.failed(failure("k1", 1, "Service Unavailable"));
    log.failed(failure("k2", 1, "Service Unavailable"));
    log.failed(failure("k3", 1, "Service Unavailable"));

    log.flush(); // the window has not passed: nothing to tell yet
    assertThat(lines.list).hasSize(1);

    clock.advance(FailureLog.WINDOW);
    log.flush();
    log.flush(); // told once

    assertThat(lines.list).hasSize(2);
    ILoggingEvent summary = lines.list.get(1);
    assertThat(summary.getFormattedMessage())
        .isEqualTo(
            "2 more failed attempts to hook like 'HttpStatus503: Service Unavailable' in the last 10 s");
    assertThat(pairs(summary)).containsEntry("suppressed", 2).containsEntry("target", "hook");

    log.failed(failure("k4", 1, "Service Unavailable")); // a new window: logged at once
    assertThat(lines.list).hasSize(3);
    assertThat(lines.list.get(2).getFormattedMessage()).doesNotContain("more like it");
  }

  @Test
  void theTraceIdComesFromAW3cTraceparent() {
    assertThat(DeliveryMdc.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        .contains("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(DeliveryMdc.traceId("garbage")).isEmpty();
    assertThat(DeliveryMdc.traceId("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"))
        .isEmpty();

    Work first = Works.first("hook", "k1", T0);
    Work traced =
        new Work(
            first.target(),
            first.deliveryKey(),
            first.eventId(),
            first.bus(),
            first.rule(),
            1,
            first.input(),
            true,
            Optional.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            Optional.empty(),
            T0,
            T0,
            false,
            0,
            Optional.empty());
    DeliveryMdc.put(traced);
    assertThat(MDC.get("traceId")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    DeliveryMdc.put(first);
    assertThat(MDC.get("traceId")).isNull();
    List.of("eventId", "bus", "rule", "target", "deliveryKey", "attempt")
        .forEach(k -> assertThat(MDC.get(k)).as(k).isNotNull());
  }
}
