package dev.herald.targets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TargetsTest {
  static final TargetContext CONTEXT =
      new TargetContext(InstantSource.system(), false, Set.of(), Path.of("plugins"));

  static dev.herald.core.config.TargetSpec spec(String json) throws Exception {
    return TargetSpecs.parse("t1", Json.MAPPER.readTree(json));
  }

  @Test
  void builtInTypesAreRegisteredThroughTheServiceLoader() {
    assertThat(Targets.types()).contains("webhook", "log", "function", "chat", "email", "bus");
  }

  @Test
  void aTargetThatCannotBeBuiltNowRetriesEveryDeliveryNamingTheReason() throws Exception {
    var spec =
        spec(
            "{\"type\": \"function\", \"function\": {\"handler\": \"a.B\", \"jar\": \"gone.jar\"}}");
    try (Target target = Targets.createOrUnavailable(spec, CONTEXT)) {
      Delivery delivery =
          new Delivery(
              "dk", "evt", "rule", 1, "{}".getBytes(UTF_8), true, Optional.empty(), Instant.now());
      assertThat(target.deliver(delivery))
          .isInstanceOfSatisfying(
              Outcome.Retry.class,
              r -> {
                assertThat(r.code()).isEqualTo("TargetUnavailable");
                assertThat(r.message()).contains("t1", "gone.jar");
              });
    }
  }

  @Test
  void typeWithoutImplementationFailsNamingTheType() throws Exception {
    var log = spec("{\"type\": \"log\"}");
    var spec =
        new dev.herald.core.config.TargetSpec(
            log.name(),
            "no-such-type",
            log.settings(),
            log.enabled(),
            log.timeoutMs(),
            log.retry(),
            log.concurrencyMax(),
            log.rateLimitPerSecond(),
            log.circuit(),
            log.ordered());
    assertThatThrownBy(() -> Targets.create(spec, CONTEXT))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> {
              assertThat(e.code()).isEqualTo("UnsupportedTargetType");
              assertThat(e.getMessage()).contains("'no-such-type'").contains("webhook");
            });
  }

  @Test
  void logTargetWritesTheInputAsOneJsonLineWithIdsInTheMdc() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger("herald.target.log");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (Target target = Targets.create(spec("{\"type\": \"log\"}"), CONTEXT)) {
      byte[] input = "{\n  \"id\": \"evt-9\",\n  \"detail\": {\"n\": 1}\n}".getBytes(UTF_8);
      Delivery d =
          new Delivery("dk-9", "evt-9", "all", 1, input, true, Optional.empty(), Instant.now());
      assertThat(target.deliver(d)).isEqualTo(new Outcome.Delivered());
    } finally {
      logger.detachAppender(appender);
    }
    ILoggingEvent event = appender.list.getFirst();
    assertThat(event.getFormattedMessage()).isEqualTo("{\"id\":\"evt-9\",\"detail\":{\"n\":1}}");
    assertThat(event.getMDCPropertyMap())
        .containsEntry("deliveryKey", "dk-9")
        .containsEntry("eventId", "evt-9")
        .containsEntry("rule", "all")
        .containsEntry("target", "t1");
  }

  @Test
  void logTargetWritesPlainTextAsAJsonString() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger("herald.target.log");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (Target target = Targets.create(spec("{\"type\": \"log\"}"), CONTEXT)) {
      byte[] input = "line one\nline \"two\"".getBytes(UTF_8);
      Delivery d =
          new Delivery("dk-1", "evt-1", "all", 1, input, false, Optional.empty(), Instant.now());
      assertThat(target.deliver(d)).isEqualTo(new Outcome.Delivered());
    } finally {
      logger.detachAppender(appender);
    }
    assertThat(appender.list.getFirst().getFormattedMessage())
        .isEqualTo("\"line one\\nline \\\"two\\\"\"");
  }
}
