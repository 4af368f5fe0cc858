package dev.herald.bench;

import dev.herald.bench.ingest.IngestCommand;
import dev.herald.bench.raw.RawProduceCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The load generator: {@code java -jar herald-bench.jar ingest|raw-produce|free-port}. Every run is
 * bounded by {@code --duration} and talks to loopback addresses only.
 */
@Command(
    name = "herald-bench",
    mixinStandardHelpOptions = true,
    description = "Herald load generator.",
    subcommands = {IngestCommand.class, RawProduceCommand.class, Main.FreePort.class})
public final class Main implements Runnable {

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(
        new CommandLine(new Main())
            .setExecutionExceptionHandler(
                (e, cmd, parseResult) -> {
                  if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                    cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
                    return 1;
                  }
                  throw e;
                })
            .execute(args));
  }

  /** Prints a TCP port that was free on 127.0.0.1 a moment ago (for the benchmark script). */
  @Command(name = "free-port", description = "Print a free TCP port on 127.0.0.1.")
  static final class FreePort implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        System.out.println(s.getLocalPort());
      }
      return 0;
    }
  }
}
