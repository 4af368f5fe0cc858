package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Analytics from the fat jar: DuckDB's native library loads from the shaded jar, events routed to
 * an analytics target are counted, and {@code herald analytics counts} prints them.
 */
class AnalyticsCliIT {
  private static final String RANGE_FROM = "2026-11-26T10:00:00Z";
  private static final String RANGE_TO = "2026-11-26T11:00:00Z";
  private static Path data;
  private static HeraldProcess herald;

  @BeforeAll
  static void start() throws Exception {
    data = Files.createTempDirectory("herald-analytics-it").resolve("data");
    herald = HeraldProcess.start(data);
    herald.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static long total(String json) throws Exception {
    long total = 0;
    for (JsonNode series : HeraldProcess.JSON.readTree(json).get("series")) {
      total += series.get("total").asLong();
    }
    return total;
  }

  @Test
  void eventsRoutedToAnAnalyticsTargetAreCountedAndPrinted() throws Exception {
    assertThat(herald.put("/v1/targets/stats", "{\"type\":\"analytics\"}").statusCode())
        .isEqualTo(200);
    assertThat(
            herald
                .put(
                    "/v1/buses/default/rules/stats",
                    "{\"pattern\":{\"source\":[\"cli.analytics\"]},\"targets\":[{\"target\":\"stats\"}]}")
                .statusCode())
        .isEqualTo(200);
    String entry =
        "{\"source\":\"cli.analytics\",\"detailType\":\"%s\",\"time\":\"2026-11-26T10:00:05Z\",\"detail\":{}}";
    herald.post(
        "/v1/events",
        "{\"entries\":["
            + String.join(
                ",",
                entry.formatted("OrderPlaced"),
                entry.formatted("OrderPlaced"),
                entry.formatted("OrderPlaced"),
                entry.formatted("OrderShipped"))
            + "]}");

    CliIT.Run json = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      json = counts("--json");
      if (json.exit() == 0 && total(json.out()) == 4) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(json.exit()).as(json.err()).isZero();
    assertThat(total(json.out())).isEqualTo(4);

    CliIT.Run table = counts();
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out().lines())
        .contains(
            "TIME                  OrderPlaced  OrderShipped",
            "2026-11-26T10:00:00Z            3             1");
    assertThat(data.resolve("analytics.duckdb")).isRegularFile();

    CliIT.Run bad = counts("--interval", "5m");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("--interval", "1m, 1h or 1d");
  }

  private static CliIT.Run counts(String... more) throws Exception {
    String[] args = {
      "analytics", "counts", "--url", herald.url(), "--from", RANGE_FROM, "--to", RANGE_TO
    };
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return CliIT.herald(all);
  }
}
