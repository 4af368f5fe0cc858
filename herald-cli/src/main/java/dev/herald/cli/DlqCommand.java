package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.client.DeadLetterPage;
import dev.herald.client.HeraldClient;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code herald dlq list|get|redrive|purge}: a target's dead letters. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = "List, inspect, redrive and purge the dead letters of a target.",
    subcommands = {
      DlqCommand.ListCommand.class,
      DlqCommand.GetCommand.class,
      DlqCommand.RedriveCommand.class,
      DlqCommand.PurgeCommand.class
    })
final class DlqCommand implements Runnable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_LIMIT = 1000;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Exactly one of {@code --id ID...} and {@code --all}. */
  static final class Selection {
    @Option(
        names = "--id",
        required = true,
        split = ",",
        paramLabel = "ID",
        description = "A dead letter's id; repeat (or separate with commas) for several")
    List<String> ids;

    @Option(names = "--all", required = true, description = "Every dead letter of the target")
    boolean all;

    List<String> distinctIds() {
      return List.copyOf(new LinkedHashSet<>(ids));
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List a target's dead letters, oldest first: a table, or JSON lines with --json.",
        "Without --all-pages, one page is listed and the cursor of the next is printed to stderr."
      })
  static final class ListCommand extends TargetCommand {
    @Option(
        names = "--limit",
        defaultValue = "100",
        paramLabel = "N",
        description = "Dead letters per page, 1 to " + MAX_LIMIT + ". Default: ${DEFAULT-VALUE}")
    int limit;

    @Option(
        names = "--after",
        paramLabel = "CURSOR",
        description = "Start after this cursor (the `next` of a previous page)")
    String after;

    @Option(names = "--all-pages", description = "Follow the pages to the end")
    boolean allPages;

    @Option(names = "--json", description = "Print each dead letter as one line of JSON")
    boolean json;

    @Override
    int run(HeraldClient client) throws Exception {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new ParameterException(
            spec.commandLine(), "--limit must be from 1 to " + MAX_LIMIT + ", got " + limit);
      }
      List<JsonNode> table = new ArrayList<>();
      Optional<String> cursor = Optional.ofNullable(after);
      while (true) {
        DeadLetterPage page = client.deadLetters(target, limit, cursor);
        for (JsonNode entry : page.entries()) {
          if (json) {
            System.out.println(MAPPER.writeValueAsString(entry));
          } else {
            table.add(entry);
          }
        }
        cursor = page.next();
        if (cursor.isEmpty() || !allPages) {
          break;
        }
      }
      if (!json) {
        printTable(table);
      }
      if (cursor.isPresent()) {
        System.err.println(
            "herald: more dead letters: --after " + cursor.get() + " (or --all-pages)");
      }
      return 0;
    }

    private void printTable(List<JsonNode> entries) {
      if (entries.isEmpty()) {
        System.err.println("herald: target " + target + " has no dead letters");
        return;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ID", "ATTEMPTS", "ERROR", "LAST ATTEMPT", "EVENT"});
      for (JsonNode e : entries) {
        rows.add(
            new String[] {
              e.path("id").asText(),
              e.path("attempts").asText(),
              e.path("error").path("code").asText(),
              e.path("lastAttemptAt").asText(),
              e.path("eventId").asText()
            });
      }
      Tables.print(rows);
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Print one dead letter, with its event, as JSON.")
  static final class GetCommand extends TargetCommand {
    @Parameters(index = "1", paramLabel = "ID", description = "The dead letter's id")
    String id;

    @Override
    int run(HeraldClient client) throws Exception {
      JsonNode letter = client.deadLetter(target, id);
      System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(letter));
      return 0;
    }
  }

  @Command(
      name = "redrive",
      mixinStandardHelpOptions = true,
      description = "Deliver dead letters again (with fresh retries) and print how many.")
  static final class RedriveCommand extends TargetCommand {
    /** Dead letters per page of {@code --all}: one list and one redrive request each. */
    static final int PAGE = 500;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Override
    int run(HeraldClient client) {
      if (selection.all) {
        return redriveAll(client, target);
      }
      List<String> ids = selection.distinctIds();
      int redriven = client.redrive(target, ids);
      System.out.println("redriven " + redriven);
      warnUnknown(target, ids.size(), redriven);
      return 0;
    }
  }

  /**
   * {@code --all}: a page of dead letters at a time, each redriven by id, with a progress bar on a
   * terminal (lines otherwise) and every letter not redriven printed with its code. Letters that
   * stay (shaping still fails) keep their ids, so the pages move on past them.
   */
  private static int redriveAll(HeraldClient client, String target) {
    long total = client.deadLetterTotal(target);
    Progress progress = new Progress(System.err, Progress.onTerminal(), "redrive", total);
    long done = 0;
    long redriven = 0;
    List<String> failures = new ArrayList<>();
    Optional<String> after = Optional.empty();
    progress.update(0, "");
    do {
      DeadLetterPage page = client.deadLetters(target, RedriveCommand.PAGE, after);
      List<String> ids = page.entries().stream().map(e -> e.path("id").asText()).toList();
      if (!ids.isEmpty()) {
        JsonNode answer = client.redriveBatch(target, ids);
        redriven += answer.path("redriven").asLong();
        answer
            .path("failed")
            .forEach(
                f ->
                    failures.add(
                        f.path("id").asText()
                            + " "
                            + f.path("code").asText()
                            + ": "
                            + f.path("message").asText()));
        done += ids.size();
      }
      progress.update(done, "redriven " + redriven + ", failed " + failures.size());
      after = page.next();
    } while (after.isPresent());
    progress.finish();
    failures.forEach(f -> System.err.println("herald: not redriven: " + f));
    System.out.println(
        "redriven " + redriven + (failures.isEmpty() ? "" : ", failed " + failures.size()));
    return failures.isEmpty() ? 0 : 1;
  }

  @Command(
      name = "purge",
      mixinStandardHelpOptions = true,
      description = "Delete dead letters for good and print how many.")
  static final class PurgeCommand extends TargetCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Override
    int run(HeraldClient client) {
      if (selection.all) {
        System.out.println("purged " + client.purgeAll(target));
        return 0;
      }
      List<String> ids = selection.distinctIds();
      int purged = client.purge(target, ids);
      System.out.println("purged " + purged);
      warnUnknown(target, ids.size(), purged);
      return 0;
    }
  }

  private static void warnUnknown(String target, int asked, int done) {
    if (done < asked) {
      System.err.println(
          "herald: "
              + (asked - done)
              + " of "
              + asked
              + " ids are not dead letters of target "
              + target);
    }
  }
}
