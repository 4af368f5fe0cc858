package dev.herald.cli;

import dev.herald.client.HeraldClient;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code herald tail <bus> [--pattern JSON]}: follows the live tail of a bus. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Follow the new events of a bus as they arrive, one JSON line each (the delivered envelope),"
          + " until interrupted.",
      "A client that stops reading is dropped by the server; the tail never slows delivery."
    })
final class TailCommand extends HeraldCall {
  @Parameters(index = "0", paramLabel = "BUS", description = "The bus to follow")
  String bus;

  @Option(
      names = "--pattern",
      paramLabel = "JSON",
      description = "An EventBridge pattern the events must match, e.g. '{\"source\": [\"shop\"]}'")
  String pattern;

  @Override
  int run() {
    HeraldClient client = client();
    client.tail(
        bus,
        Optional.ofNullable(pattern),
        () -> System.err.println("herald: following bus " + bus + " (Ctrl-C to stop)"),
        event -> {
          System.out.println(event);
          System.out.flush();
        });
    System.err.println("herald: the server ended the tail");
    return 1;
  }

  @Override
  String describe(dev.herald.client.HeraldClientException e) {
    String text = super.describe(e);
    return "pattern".equals(e.field()) ? text + " (--pattern)" : text;
  }
}
