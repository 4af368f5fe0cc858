package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code herald replay}: parsing and validation that need no server, and an unreachable one. */
class ReplayCommandTest {
  private static final String CLOSED = CliRun.CLOSED;

  @Test
  void startNeedsBusNameAndWindow() {
    CliRun run = CliRun.of("replay", "start", "--bus", "orders", "--url", CLOSED);
    assertThat(run.exit()).isEqualTo(Main.USAGE);
    assertThat(run.err()).contains("Missing required", "--name", "--from", "--to");
  }

  @Test
  void startRejectsATimeThatIsNotRfc3339() {
    CliRun run =
        CliRun.of(
            "replay",
            "start",
            "--bus",
            "orders",
            "--name",
            "fix",
            "--from",
            "yesterday",
            "--to",
            "2026-12-07T10:00:00Z",
            "--url",
            CLOSED);
    assertThat(run.exit()).isEqualTo(Main.USAGE);
    assertThat(run.err()).contains("--from", "RFC 3339", "yesterday");
  }

  @Test
  void statusNeedsAName() {
    CliRun run = CliRun.of("replay", "status", "--bus", "orders", "--url", CLOSED);
    assertThat(run.exit()).isEqualTo(Main.USAGE);
    assertThat(run.err()).contains("NAME");
  }

  @Test
  void unreachableHeraldIsExitOne() {
    for (String[] args :
        new String[][] {
          {
            "replay",
            "start",
            "--bus",
            "o",
            "--name",
            "n",
            "--from",
            "2026-12-07T09:00:00Z",
            "--to",
            "2026-12-07T10:00:00Z",
            "--rule",
            "a",
            "--url",
            CLOSED
          },
          {"replay", "status", "--bus", "o", "n", "--url", CLOSED},
          {"replay", "list", "--bus", "o", "--url", CLOSED},
          {"replay", "cancel", "--bus", "o", "n", "--url", CLOSED}
        }) {
      CliRun run = CliRun.of(args);
      assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(run.err())
          .as(String.join(" ", args))
          .startsWith("herald:")
          .contains("cannot reach");
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  void summaryNamesTheTargetsStillCatchingUp() throws Exception {
    String json =
        "{\"name\":\"fix\",\"bus\":\"orders\",\"state\":\"running\",\"eventsReplayed\":9,"
            + "\"eventsTotal\":9,\"lanes\":[{\"target\":\"slow\",\"recordsBehind\":4}]}";
    assertThat(ReplayCommand.summary(new ObjectMapper().readTree(json)))
        .isEqualTo(
            "replay fix of bus orders: running, 9 of 9 events, target slow catching up (4 records"
                + " behind)");
  }

  @Test
  void summarySaysStateProgressAndError() throws Exception {
    String json =
        "{\"name\":\"fix\",\"bus\":\"orders\",\"state\":\"failed\",\"eventsReplayed\":3,"
            + "\"eventsTotal\":9,\"lastReplayedTime\":\"2026-12-07T09:00:00Z\",\"error\":\"boom\"}";
    assertThat(ReplayCommand.summary(new ObjectMapper().readTree(json)))
        .isEqualTo(
            "replay fix of bus orders: failed, 3 of 9 events, last event ingested at"
                + " 2026-12-07T09:00:00Z, error: boom");
  }
}
