package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.client.Replays;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code herald replay start|status|list|cancel}: replays of a bus's archive. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Replay a bus's archive by ingestion time to its rules; follow, list, cancel.",
    subcommands = {
      ReplayCommand.StartCommand.class,
      ReplayCommand.StatusCommand.class,
      ReplayCommand.ListCommand.class,
      ReplayCommand.CancelCommand.class
    })
final class ReplayCommand implements Runnable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** A command about the replays of one bus ({@code --bus}). */
  abstract static class BusCall extends HeraldCall {
    @Option(names = "--bus", required = true, paramLabel = "BUS", description = "The bus")
    String bus;

    @Override
    final int run() throws Exception {
      return run(client().replays());
    }

    abstract int run(Replays replays) throws Exception;
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Replay the events of a bus ingested from --from (inclusive) to --to (exclusive) to all",
        "its rules, or to those named with --rule; prints the replay as JSON."
      })
  static final class StartCommand extends BusCall {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "A new name")
    String name;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "TIME",
        description = "RFC 3339, e.g. 2026-12-07T10:00:00Z")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TIME", description = "RFC 3339")
    String to;

    @Option(
        names = "--rule",
        split = ",",
        paramLabel = "RULE",
        description = "Replay to this rule only; repeat for several. Default: every rule")
    List<String> rules = new ArrayList<>();

    @Override
    int run(Replays replays) throws Exception {
      JsonNode replay =
          replays.start(bus, name, time("--from", from), time("--to", to), List.copyOf(rules));
      System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(replay));
      return 0;
    }

    private Instant time(String option, String text) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        throw new ParameterException(
            spec.commandLine(),
            option + " must be an RFC 3339 time such as 2026-12-07T10:00:00Z, got '" + text + "'");
      }
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show a replay's progress: a bar that follows it while it runs (--once: one look).",
        "Exit code 1 when it failed."
      })
  static final class StatusCommand extends BusCall {
    @Parameters(index = "0", paramLabel = "NAME", description = "The replay's name")
    String name;

    @Option(names = "--once", description = "Look once; do not follow a running replay")
    boolean once;

    @Option(names = "--json", description = "Print the replay as JSON at the end")
    boolean json;

    @Option(
        names = "--interval",
        defaultValue = "1000",
        paramLabel = "MS",
        description = "Milliseconds between looks while following. Default: ${DEFAULT-VALUE}")
    long interval;

    @Override
    int run(Replays replays) throws Exception {
      JsonNode replay = replays.get(bus, name);
      if (!once && running(replay)) {
        Progress progress =
            new Progress(
                System.err,
                Progress.onTerminal(),
                "replay " + name,
                replay.path("eventsTotal").asLong());
        while (running(replay)) {
          progress.update(replay.path("eventsReplayed").asLong(), note(replay));
          Thread.sleep(Math.max(100, interval));
          replay = replays.get(bus, name);
        }
        progress.update(replay.path("eventsReplayed").asLong(), note(replay));
        progress.finish();
      }
      if (json) {
        System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(replay));
      } else {
        System.out.println(summary(replay));
      }
      return replay.path("state").asText().equals("failed") ? 1 : 0;
    }

    private static boolean running(JsonNode replay) {
      return replay.path("state").asText().equals("running");
    }

    private static String note(JsonNode replay) {
      String last = replay.path("lastReplayedTime").asText("");
      int lanes = replay.path("lanes").size();
      return replay.path("state").asText()
          + (last.isEmpty() ? "" : ", at " + last)
          + (lanes == 0 ? "" : ", " + lanes + (lanes == 1 ? " target" : " targets") + " behind");
    }
  }

  /** One line about a replay. */
  static String summary(JsonNode r) {
    StringBuilder line =
        new StringBuilder()
            .append("replay ")
            .append(r.path("name").asText())
            .append(" of bus ")
            .append(r.path("bus").asText())
            .append(": ")
            .append(r.path("state").asText())
            .append(", ")
            .append(r.path("eventsReplayed").asLong())
            .append(" of ")
            .append(r.path("eventsTotal").asLong())
            .append(" events");
    if (r.path("lastReplayedTime").isTextual()) {
      line.append(", last event ingested at ").append(r.path("lastReplayedTime").asText());
    }
    for (JsonNode lane : r.path("lanes")) { // targets held back by their backlog
      line.append(", target ")
          .append(lane.path("target").asText())
          .append(" catching up (")
          .append(lane.path("recordsBehind").asLong())
          .append(" records behind)");
    }
    if (r.path("error").isTextual()) {
      line.append(", error: ").append(r.path("error").asText());
    }
    return line.toString();
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List a bus's replays: a table, or JSON lines with --json.")
  static final class ListCommand extends BusCall {
    @Option(names = "--json", description = "Print each replay as one line of JSON")
    boolean json;

    @Override
    int run(Replays replays) throws Exception {
      List<JsonNode> all = new ArrayList<>();
      Optional<String> cursor = Optional.empty();
      do {
        Replays.Page page = replays.list(bus, 1000, cursor);
        all.addAll(page.replays());
        cursor = page.next();
      } while (cursor.isPresent());
      if (json) {
        for (JsonNode r : all) {
          System.out.println(MAPPER.writeValueAsString(r));
        }
        return 0;
      }
      if (all.isEmpty()) {
        System.err.println("herald: bus " + bus + " has no replays");
        return 0;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "STATE", "REPLAYED", "TOTAL", "FROM", "TO", "RULES"});
      for (JsonNode r : all) {
        List<String> rules = new ArrayList<>();
        r.path("rules").forEach(n -> rules.add(n.asText()));
        rows.add(
            new String[] {
              r.path("name").asText(),
              r.path("state").asText(),
              r.path("eventsReplayed").asText(),
              r.path("eventsTotal").asText(),
              r.path("from").asText(),
              r.path("to").asText(),
              rules.isEmpty() ? "all" : String.join(",", rules)
            });
      }
      Tables.print(rows);
      return 0;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a running replay; it stops after its current batch.")
  static final class CancelCommand extends BusCall {
    @Parameters(index = "0", paramLabel = "NAME", description = "The replay's name")
    String name;

    @Override
    int run(Replays replays) throws Exception {
      System.out.println(summary(replays.cancel(bus, name)));
      return 0;
    }
  }
}
