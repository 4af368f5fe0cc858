package dev.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {

  @Test
  void anyOtherFormatThanJsonOrTextIsRefusedNamingTheVariable() {
    assertThatThrownBy(() -> LogFormat.check(Map.of("HERALD_LOG_FORMAT", "xml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("HERALD_LOG_FORMAT must be json or text, got 'xml'");
    assertThatNoException()
        .isThrownBy(
            () -> {
              LogFormat.check(Map.of());
              LogFormat.check(Map.of("HERALD_LOG_FORMAT", "json"));
              LogFormat.check(Map.of("HERALD_LOG_FORMAT", " Text "));
            });
  }

  @Test
  void withoutTheVariableOnlyTheJsonAppenderWrites() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("HERALD_LOG_FORMAT") == null);
    LogFormat json = new LogFormat();
    json.setFormat("json");
    LogFormat text = new LogFormat();
    text.setFormat("text");

    assertThat(json.decide(new LoggingEvent())).isEqualTo(FilterReply.NEUTRAL);
    assertThat(text.decide(new LoggingEvent())).isEqualTo(FilterReply.DENY);
  }
}
