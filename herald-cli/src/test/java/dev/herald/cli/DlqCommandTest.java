package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code herald dlq}: parsing and validation that need no server, and an unreachable one. */
class DlqCommandTest {
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
      System.out.flush();
      System.err.flush();
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
  void redriveNeedsIdOrAll() {
    Run run = run("dlq", "redrive", "t", "--url", CLOSED);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required", "--id", "--all");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void redriveRejectsIdAndAll() {
    Run run = run("dlq", "redrive", "t", "--id", "a", "--all", "--url", CLOSED);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("mutually exclusive", "--id", "--all");
  }

  @Test
  void purgeNeedsExactlyOneOfIdAndAll() {
    Run neither = run("dlq", "purge", "t", "--url", CLOSED);
    assertThat(neither.exit()).isEqualTo(2);
    assertThat(neither.err()).contains("--id", "--all");

    Run both = run("dlq", "purge", "t", "--all", "--id", "a", "--url", CLOSED);
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
  }

  @Test
  void listNeedsTarget() {
    Run run = run("dlq", "list", "--url", CLOSED);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("TARGET");
  }

  @Test
  void getNeedsId() {
    Run run = run("dlq", "get", "t", "--url", CLOSED);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("ID");
  }

  @Test
  void listRejectsLimitOutOfRange() {
    Run run = run("dlq", "list", "t", "--limit", "0", "--url", CLOSED);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--limit");
  }

  @Test
  void unreachableHeraldIsExitOne() {
    for (String[] args :
        new String[][] {
          {"dlq", "list", "t", "--url", CLOSED},
          {"dlq", "get", "t", "x", "--url", CLOSED},
          {"dlq", "redrive", "t", "--all", "--url", CLOSED},
          {"dlq", "redrive", "t", "--id", "a", "--id", "b", "--url", CLOSED},
          {"dlq", "purge", "t", "--id", "a", "--url", CLOSED},
          {"dlq", "purge", "t", "--all", "--url", CLOSED}
        }) {
      Run run = run(args);
      assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(run.err())
          .as(String.join(" ", args))
          .startsWith("herald:")
          .contains("cannot reach");
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  void helpListsTheSubcommands() {
    Run run = run("dlq", "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("list", "get", "redrive", "purge");
  }
}
