package dev.herald.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long command on stderr: a bar redrawn in place on a terminal, plain lines when
 * stderr is not one (a pipe, a file, CI). Not thread-safe: one command thread updates it.
 */
final class Progress {
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean terminal;
  private final String label;
  private long total;
  private boolean drawn;

  Progress(PrintStream out, boolean terminal, String label, long total) {
    this.out = out;
    this.terminal = terminal;
    this.label = label;
    this.total = Math.max(0, total);
  }

  /**
   * Whether this process talks to a terminal: a console that is a TTY ({@code Console.isTerminal},
   * JDK 22+, asked reflectively since Herald builds for 21; before 22 a console exists only then).
   */
  static boolean onTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** Shows {@code done} of the total (the total grows if more turned up) with a note. */
  void update(long done, String note) {
    total = Math.max(total, done);
    if (terminal) {
      int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
      int percent = total == 0 ? 100 : (int) (100 * done / total);
      out.print(
          String.format(
              Locale.ROOT,
              "\r%s [%s%s] %3d%% %d/%d %s\u001b[K",
              label,
              "#".repeat(filled),
              ".".repeat(WIDTH - filled),
              percent,
              done,
              total,
              note));
      drawn = true;
    } else {
      out.printf(Locale.ROOT, "%s: %d/%d %s%n", label, done, total, note);
    }
    out.flush();
  }

  /** Ends the bar's line on a terminal. */
  void finish() {
    if (terminal && drawn) {
      out.println();
    }
  }
}
