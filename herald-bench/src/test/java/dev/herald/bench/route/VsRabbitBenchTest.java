package dev.herald.bench.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VsRabbitBenchTest {

  @Test
  void readsNamedOptionsAndFlags() {
    Map<String, String> o = VsRabbitBench.options(new String[] {"--system=rabbit", "--cleanup"});

    assertThat(o).containsEntry("system", "rabbit").containsEntry("cleanup", "");
    assertThat(VsRabbitBench.number(Map.of("events", "3000"), "events", 1)).isEqualTo(3000);
    assertThat(VsRabbitBench.number(Map.of(), "events", 60_000)).isEqualTo(60_000);
  }

  @Test
  void namesTheOptionThatIsWrong() {
    assertThatThrownBy(() -> VsRabbitBench.options(new String[] {"events=1"}))
        .hasMessage("argument: events=1 is not --name=value");
    assertThatThrownBy(() -> VsRabbitBench.number(Map.of("events", "-1"), "events", 0))
        .hasMessage("--events: -1 is not a number >= 0");
    assertThatThrownBy(() -> VsRabbitBench.main(new String[] {"--system=kafka"}))
        .hasMessage("--system: kafka is neither herald nor rabbit");
    assertThatThrownBy(
            () ->
                VsRabbitBench.main(
                    new String[] {
                      "--system=herald", "--herald-url=http://127.0.0.1:1", "--events=150"
                    }))
        .hasMessageStartingWith(
            "--events and --warmup-events: 150 and 10000 must be multiples of 100");
  }

  @Test
  void sendsHeraldTheBaselinesEventsInBatches() {
    String body = VsRabbitBench.batch(2, 0);

    assertThat(body).startsWith("{\"entries\":[{\"source\":\"bench.route\"").endsWith("\"}}]}");
    assertThat(body).hasSize("{\"entries\":[".length() + 300 + 1 + 300 + "]}".length());
  }
}
