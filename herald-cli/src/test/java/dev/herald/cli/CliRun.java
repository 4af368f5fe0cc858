package dev.herald.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process run of the {@code herald} command, with what it printed. */
record CliRun(int exit, String out, String err) {
  /** An address where nothing listens. */
  static final String CLOSED = "http://127.0.0.1:9";

  /** Runs {@code herald args...} in this JVM, capturing stdout and stderr. */
  static CliRun of(String... args) {
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
      return new CliRun(
          exit,
          outBytes.toString(StandardCharsets.UTF_8),
          errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
