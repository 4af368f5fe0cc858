package dev.herald.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
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
  static final class Get extends HeraldCall {
    @Parameters(paramLabel = "ID", description = "The event id")
    String id;

    @Override
    int run() throws Exception {
      var event = client().event(id);
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
