package dev.herald.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.client.HeraldClient;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code herald events get ID}. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = "Read events back.",
    subcommands = {EventsCommand.Get.class})
final class EventsCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Print an event and its deliveries as JSON.")
  static final class Get implements Callable<Integer> {
    @Option(
        names = "--url",
        defaultValue = "${env:HERALD_URL:-http://127.0.0.1:8080}",
        description = "Herald's HTTP address (HERALD_URL). Default: ${DEFAULT-VALUE}")
    URI url;

    @Parameters(paramLabel = "ID", description = "The event id")
    String id;

    @Override
    public Integer call() throws Exception {
      var event = HeraldClient.create(url).event(id);
      if (event.isEmpty()) {
        System.err.println("herald: no event with id " + id);
        return 1;
      }
      System.out.println(
          new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(event.get()));
      return 0;
    }
  }
}
