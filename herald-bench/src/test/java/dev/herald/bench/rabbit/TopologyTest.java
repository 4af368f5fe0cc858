package dev.herald.bench.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopologyTest {

  @Test
  void namesEverythingUnderItsPrefix() {
    Topology t = new Topology("hb.1");

    assertThat(t.exchange()).isEqualTo("hb.1.events");
    assertThat(t.queue("c1")).isEqualTo("hb.1.c1");
    assertThat(t.deadLetterExchange("c1")).isEqualTo("hb.1.c1.dlx");
    assertThat(t.retryQueue("c1")).isEqualTo("hb.1.c1.retry");
    assertThat(t.deadLetterQueue("c1")).isEqualTo("hb.1.c1.dlq");
  }

  @Test
  void refusesNamesThatAreNotPlain() {
    assertThatThrownBy(() -> new Topology("Has Space")).hasMessageStartingWith("prefix: Has Space");
    assertThatThrownBy(() -> new Topology("p").queue("")).hasMessageStartingWith("consumer: ");
  }

  @Test
  void everyMessageIsThreeHundredBytesOfJson() {
    for (long n : new long[] {0, 7, 123_456_789}) {
      byte[] m = ConfirmedPublisher.message(n);
      assertThat(m).hasSize(ConfirmedPublisher.MESSAGE_BYTES);
      assertThat(new String(m, StandardCharsets.UTF_8))
          .startsWith("{\"source\":\"bench.route\"")
          .contains("\"orderId\":\"o-" + n + "\"")
          .endsWith("\"}}");
    }
  }
}
