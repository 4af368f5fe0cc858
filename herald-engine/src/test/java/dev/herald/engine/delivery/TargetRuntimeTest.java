package dev.herald.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.engine.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TargetRuntimeTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-12-01T10:00:00Z"));

  @Test
  void aCircuitThatOpensLogsTheFailureThatOpenedItAndUntilWhenDeliveriesWait() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(TargetRuntime.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try (TargetRuntime mail =
        RetrySchedulerTest.runtime(
            "mail",
            "{\"type\":\"log\",\"circuit\":{\"enabled\":true,\"failureRatePercent\":50,"
                + "\"minimumAttempts\":2,\"openSeconds\":30}}",
            clock)) {
      for (int i = 0; i < 2; i++) {
        mail.failedWith("SmtpError", "the server does not offer STARTTLS");
        mail.circuit().onFailure();
      }
      clock.advance(Duration.ofSeconds(31));
      assertThat(mail.circuit().tryAcquirePermission()).isTrue(); // half-open: the probe
      mail.circuit().onSuccess();
    } finally {
      logger.detachAppender(lines);
    }

    assertThat(lines.list).hasSize(3);
    ILoggingEvent opened = lines.list.getFirst();
    assertThat(opened.getLevel()).isEqualTo(Level.WARN);
    assertThat(opened.getFormattedMessage())
        .isEqualTo(
            "target mail: circuit closed -> open after SmtpError: the server does not offer"
                + " STARTTLS; its deliveries wait until 2026-12-01T10:00:30Z");
    Map<String, Object> pairs =
        opened.getKeyValuePairs().stream().collect(Collectors.toMap(kv -> kv.key, kv -> kv.value));
    assertThat(pairs)
        .containsEntry("reason", "SmtpError: the server does not offer STARTTLS")
        .containsEntry("circuitTo", "open");
    assertThat(lines.list.get(1).getFormattedMessage())
        .isEqualTo("target mail: circuit open -> half-open");
    assertThat(lines.list.get(2).getFormattedMessage())
        .isEqualTo("target mail: circuit half-open -> closed");
    assertThat(lines.list.get(2).getLevel()).isEqualTo(Level.INFO);
  }
}
