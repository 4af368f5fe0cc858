package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald audit}: what needs no server, and an unreachable one (AuditCliIT runs the rest).
 */
class AuditCommandTest {
  private static final String CLOSED = "http://127.0.0.1:9";

  record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    try {
      int exit = Main.run(args);
      return new Run(
          exit,
          outBytes.toString(StandardCharsets.UTF_8),
          errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void helpListsVerifyAndExport() {
    Run run = run("audit", "--help");
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
      Run run = run(args);
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
    Run run = run("audit", "verify", "--timeout", "soon", "--url", CLOSED);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--timeout");
  }
}
