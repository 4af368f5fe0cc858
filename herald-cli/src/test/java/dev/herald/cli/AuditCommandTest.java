package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald audit}: what needs no server, and an unreachable one (CliIT runs the rest). */
class AuditCommandTest {
  private static final String CLOSED = CliRun.CLOSED;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void helpListsVerifyAndExport() {
    CliRun run = run("audit", "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("verify", "export");
    assertThat(run("audit", "export", "--help").out()).contains("--from", "--to", "--output");
  }

  @Test
  void unreachableHeraldIsExitOne(@TempDir Path dir) {
    Path file = dir.resolve("audit.jsonl");
    for (String[] args :
        new String[][] {
          {"audit", "verify", "--url", CLOSED},
          {"audit", "export", "--url", CLOSED},
          {"audit", "export", "--url", CLOSED, "--output", file.toString()}
        }) {
      CliRun run = run(args);
      assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(run.err())
          .as(String.join(" ", args))
          .startsWith("herald:")
          .contains("cannot reach");
      assertThat(run.out()).isEmpty();
    }
    assertThat(Files.exists(file)).isFalse();
    assertThat(Files.exists(dir.resolve("audit.jsonl.part"))).isFalse();
  }

  @Test
  void aBadTimeoutIsAUsageError() {
    CliRun run = run("audit", "verify", "--timeout", "soon", "--url", CLOSED);
    assertThat(run.exit()).isEqualTo(Main.USAGE);
    assertThat(run.err()).contains("--timeout");
  }
}
