package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.client.HeraldClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code herald targets get|resume}: one target, its live state, and resuming it. */
@Command(
    name = "targets",
    mixinStandardHelpOptions = true,
    description = "List, show (with its live delivery state), put, delete or resume targets.",
    subcommands = {
      TargetsCommand.GetCommand.class,
      TargetsCommand.ResumeCommand.class,
      ObjectCommands.ListTargets.class,
      ObjectCommands.PutTarget.class,
      ObjectCommands.DeleteTarget.class
    })
final class TargetsCommand implements Runnable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Print the target as JSON, with its state (enabled, circuit, in-flight calls).")
  static final class GetCommand extends TargetCommand {
    @Override
    int run(HeraldClient client) throws Exception {
      System.out.println(
          MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(client.target(target)));
      return 0;
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Re-enable a target disabled by a 410 answer or by \"enabled\": false.")
  static final class ResumeCommand extends TargetCommand {
    @Override
    int run(HeraldClient client) {
      JsonNode stored = client.resumeTarget(target);
      System.out.println(
          "herald: target "
              + target
              + " resumed (version "
              + stored.path("version").asLong()
              + ")");
      return 0;
    }
  }
}
