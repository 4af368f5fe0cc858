package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code herald analytics counts}: the table, and an unreachable server. */
class AnalyticsCommandTest {

  private static String stdout(Runnable action) {
    PrintStream out = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setOut(out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsOneRowPerIntervalAndOneColumnPerKeyWithTotals() throws Exception {
    var answer =
        new ObjectMapper()
            .readTree(
                """
                {"groupBy": "detailType", "interval": "1m",
                 "from": "2026-11-26T10:00:00Z", "to": "2026-11-26T11:00:00Z",
                 "series": [
                   {"key": "OrderPlaced", "total": 25, "points": [
                     {"t": "2026-11-26T10:00:00Z", "count": 20},
                     {"t": "2026-11-26T10:02:00Z", "count": 5}]},
                   {"key": "OrderShipped", "total": 3, "points": [
                     {"t": "2026-11-26T10:01:00Z", "count": 3}]}]}
                """);

    String table = stdout(() -> AnalyticsCommand.print(answer));

    assertThat(table.lines())
        .containsExactly(
            "events by detailType per 1m, 2026-11-26T10:00:00Z to 2026-11-26T11:00:00Z, all buses",
            "TIME                  OrderPlaced  OrderShipped",
            "2026-11-26T10:00:00Z           20             0",
            "2026-11-26T10:01:00Z            0             3",
            "2026-11-26T10:02:00Z            5             0",
            "TOTAL                          25             3");
  }

  @Test
  void saysSoWhenNothingWasCounted() throws Exception {
    var answer =
        new ObjectMapper()
            .readTree(
                "{\"bus\": \"orders\", \"groupBy\": \"source\", \"interval\": \"1h\","
                    + " \"from\": \"a\", \"to\": \"b\", \"series\": []}");

    assertThat(stdout(() -> AnalyticsCommand.print(answer)))
        .contains("events by source per 1h, a to b, bus orders")
        .contains("no events counted in this range");
  }

  @Test
  void anUnreachableHeraldIsExitCode1() {
    PrintStream err = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Main.run("analytics", "counts", "--url", "http://127.0.0.1:9");
    } finally {
      System.setErr(err);
    }
    assertThat(exit).isEqualTo(1);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("herald: cannot reach Herald");
  }
}
