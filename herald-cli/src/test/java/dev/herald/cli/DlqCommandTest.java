package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code herald dlq}: parsing and validation that need no server, and an unreachable one. */
class DlqCommandTest {
  private static final String CLOSED = CliRun.CLOSED;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void redriveNeedsIdOrAll() {
    CliRun run = run("dlq", "redrive", "t", "--url", CLOSED);
    assertThat(run.exit()).isEqualTo(Main.USAGE);
    assertThat(run.err()).contains("Missing required", "--id", "--all");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void redriveRejectsIdAndAll() {
    CliRun run = run("dlq", "redrive", "t", "--id", "a", "--all", "--url", CLOSED);
    assertThat(run.exit()).isEqualTo(Main.USAGE);
    assertThat(run.err()).contains("mutually exclusive", "--id", "--all");
  }

  @Test
  void purgeNeedsExactlyOneOfIdAndAll() {
    CliRun neither = run("dlq", "purge", "t", "--url", CLOSED);
    assertThat(neither.exit()).isEqualTo(Main.USAGE);
    assertThat(neither.err()).contains("--id", "--all");

    CliRun both = run("dlq", "purge", "t", "--all", "--id", "a", "--url", CLOSED);
    assertThat(both.exit()).isEqualTo(Main.USAGE);
    assertThat(both.err()).contains("mutually exclusive");
  }

  @Test
  void listNeedsTarget() {
    CliRun run = run("dlq", "list", "--url", CLOSED);
    assertThat(run.exit()).isEqualTo(Main.USAGE);
    assertThat(run.err()).contains("TARGET");
  }

  @Test
  void getNeedsId() {
    CliRun run = run("dlq", "get", "t", "--url", CLOSED);
    assertThat(run.exit()).isEqualTo(Main.USAGE);
    assertThat(run.err()).contains("ID");
  }

  @Test
  void listRejectsLimitOutOfRange() {
    CliRun run = run("dlq", "list", "t", "--limit", "0", "--url", CLOSED);
    assertThat(run.exit()).isEqualTo(Main.USAGE);
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
      CliRun run = run(args);
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
    CliRun run = run("dlq", "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("list", "get", "redrive", "purge");
  }
}
