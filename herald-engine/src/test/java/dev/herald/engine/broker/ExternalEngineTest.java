package dev.herald.engine.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link Engine#external} against the shared embedded broker, standing in for a cluster. */
class ExternalEngineTest {

  @Test
  void connectsToARunningClusterAndReadsItsRecordLimit() {
    Engine embedded = SharedBroker.engine();

    try (Engine external = Engine.external(embedded.bootstrapServers(), 1_048_576)) {
      assertThat(external.isHealthy()).isTrue();
      assertThat(external.fault()).isEmpty();
      assertThat(external.bootstrapServers()).isEqualTo(embedded.bootstrapServers());
      assertThat(external.maxMessageBytes()).isEqualTo(embedded.maxMessageBytes());
      external.close();
      assertThat(external.isHealthy()).isFalse();
    }
  }

  @Test
  void failsFastWhenTheBrokersAcceptSmallerRecordsThanHeraldNeeds() {
    Engine embedded = SharedBroker.engine();
    int required = embedded.maxMessageBytes() + 1;

    assertThatThrownBy(() -> Engine.external(embedded.bootstrapServers(), required))
        .isInstanceOf(EngineStartException.class)
        .hasMessageContaining("message.max.bytes=" + embedded.maxMessageBytes())
        .hasMessageContaining("Set message.max.bytes to at least " + required);
  }

  @Test
  void failsFastNamingTheSettingWhenNothingListensAtTheAddress() {
    String closed = "127.0.0.1:" + FreePorts.one();

    // The same code as Engine.external, with a shorter wait than its 10 s to keep the test quick.
    assertThatThrownBy(() -> ExternalEngine.connect(closed, 1_048_576, Duration.ofSeconds(2)))
        .isInstanceOf(EngineStartException.class)
        .hasMessageContaining("Cannot reach a Kafka cluster at '" + closed + "'")
        .hasMessageContaining("HERALD_KAFKA_BOOTSTRAP");
  }

  @Test
  void rejectsAnEmptyOrMalformedAddressNamingTheSetting() {
    assertThatThrownBy(() -> Engine.external(" ", 1_048_576))
        .isInstanceOf(EngineStartException.class)
        .hasMessageContaining("HERALD_KAFKA_BOOTSTRAP");
    assertThatThrownBy(() -> Engine.external("no-port-here", 1_048_576))
        .isInstanceOf(EngineStartException.class)
        .hasMessageContaining("HERALD_KAFKA_BOOTSTRAP");
  }
}
