package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OperationsTest {
  private final Herald herald = TestHerald.shared();

  @Test
  void liveAndReadyWhenEngineAndStoreAcceptWrites() {
    assertThat(get(herald, "/health/live").status()).isEqualTo(200);
    var ready = get(herald, "/health/ready");
    assertThat(ready.status()).as(ready.body().toString()).isEqualTo(200);
    assertThat(ready.body().at("/status").asText()).as(ready.body().toString()).isEqualTo("UP");
    assertThat(ready.body().at("/checks/engine").asText()).isEqualTo("ok");
    assertThat(ready.body().at("/checks/store").asText()).isEqualTo("ok");
  }

  @Test
  void entriesOfAnUnknownBusAreCountedUnderTheBusDashNotUnderTheNameTheClientChose() {
    String bus = "no-such-bus-" + java.util.UUID.randomUUID();
    postJson(
        herald, "{'entries':[{'source':'s','detailType':'T','detail':{},'bus':'" + bus + "'}]}");
    String text = new String(get(herald, "/metrics").raw().body(), StandardCharsets.UTF_8);
    assertThat(text)
        .containsPattern(
            "(?m)^herald_ingest_entries_rejected_total\\{bus=\"-\",code=\"[A-Za-z]+\"} [1-9]")
        .doesNotContain(bus);
  }

  @Test
  void metricsCountAcceptedAndRejectedEntriesByCodeAndTimeRequests() {
    postJson(
        herald,
        "{'entries':[{'source':'s','detailType':'T','detail':{}},{'source':'s','detailType':'T'}]}");
    var metrics = get(herald, "/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).startsWith("text/plain");
    String text = new String(metrics.raw().body(), StandardCharsets.UTF_8);
    assertThat(text)
        .containsPattern("(?m)^herald_ingest_entries_accepted_total\\{bus=\"default\"} [1-9]")
        .containsPattern(
            "(?m)^herald_ingest_entries_rejected_total\\{bus=\"default\",code=\"MissingField\"} [1-9]")
        .contains("herald_ingest_request_latency_seconds_bucket")
        .contains("jvm_memory_used_bytes");
  }
}
