package dev.herald.engine.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.utils.internals.Exit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fatal fault inside the broker: Kafka calls {@code Exit.halt}, which must not end the JVM. Runs
 * on a broker of its own; the shared one, started first, must stay healthy.
 */
class BrokerFaultTest {

  @TempDir Path dataDir;

  @Test
  void fatalHaltMarksTheEngineUnhealthyStopsTheBrokerAndKeepsTheJvmAlive() {
    Engine shared = SharedBroker.engine();
    try (Engine engine = Engine.embedded(EmbeddedConfig.of(dataDir))) {
      assertThat(engine.isHealthy()).isTrue();

      Exit.halt(1, "simulated fatal fault");
      Exit.exit(1, "a second fault after the first");

      // Still running here: the JVM was neither halted nor exited.
      assertThat(engine.isHealthy()).isFalse();
      assertThat(engine.fault())
          .hasValueSatisfying(
              reason -> assertThat(reason).contains("Exit.halt(1)", "simulated fatal fault"));
      await().atMost(Duration.ofSeconds(30)).until(() -> !accepts(engine.bootstrapServers()));
      assertThat(shared.isHealthy()).isTrue();
    }
  }

  private static boolean accepts(String bootstrap) {
    int colon = bootstrap.lastIndexOf(':');
    InetSocketAddress address =
        new InetSocketAddress(
            bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1)));
    try (Socket socket = new Socket()) {
      socket.connect(address, 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
