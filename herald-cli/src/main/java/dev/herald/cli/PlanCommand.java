package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.config.file.FileError;
import dev.herald.core.config.file.HeraldFile;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code herald plan} and {@code herald apply}: send the desired state of a herald.yaml to Herald,
 * which computes the difference (secrets never come back).
 */
abstract class PlanCommand extends HeraldCall {
  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE",
      description = "The herald.yaml")
  Path file;

  @Option(names = "--env", paramLabel = "ENV", description = "The environment to plan for")
  String env;

  @Option(names = "--prune", description = "Delete what Herald has and the file does not declare")
  boolean prune;

  /** The file's desired state, or empty after printing its errors. */
  Optional<HeraldFile.Loaded> desired() {
    HeraldFile.Loaded loaded = ConfigFiles.load(file, Optional.ofNullable(env));
    if (!loaded.valid()) {
      loaded.errors().stream().map(FileError::toString).forEach(System.err::println);
      return Optional.empty();
    }
    return Optional.of(loaded);
  }

  /** Prints a plan: {@code +} create, {@code ~} update with its fields, {@code -} delete. */
  static void print(JsonNode plan, boolean applied) {
    for (JsonNode change : plan.path("changes")) {
      String sign =
          switch (change.path("action").asText()) {
            case "create" -> "+";
            case "update" -> "~";
            default -> "-";
          };
      System.out.println(
          sign + " " + change.path("kind").asText() + " " + change.path("name").asText());
      for (JsonNode diff : change.path("diffs")) {
        System.out.println(
            "    "
                + diff.path("field").asText()
                + ": "
                + (diff.path("secret").asBoolean()
                    ? "secret changed"
                    : diff.path("from") + " -> " + diff.path("to")));
      }
    }
    JsonNode s = plan.path("summary");
    long total = s.path("create").asLong() + s.path("update").asLong() + s.path("delete").asLong();
    if (total == 0) {
      System.out.println("No changes: Herald matches the file.");
      return;
    }
    System.out.println(
        (applied ? "Applied: " : "Plan: ")
            + s.path("create").asLong()
            + " to create, "
            + s.path("update").asLong()
            + " to update, "
            + s.path("delete").asLong()
            + " to delete.");
  }

  @Command(
      name = "plan",
      mixinStandardHelpOptions = true,
      description = {
        "Show what apply would change: + create, ~ update with field diffs, - delete (--prune).",
        "Exit 0 no changes, 2 changes, 1 error."
      })
  static final class Plan extends PlanCommand {
    @Override
    int run() {
      Optional<HeraldFile.Loaded> desired = desired();
      if (desired.isEmpty()) {
        return 1;
      }
      JsonNode plan = client().config().plan(desired.get().desired(), prune);
      print(plan, false);
      return plan.path("changes").isEmpty() ? 0 : 2;
    }
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Make the plan's changes: buses and targets first, then rules, deletes (--prune) last,",
        "so no rule ever names a missing target. Exit 0 done, 1 error (apply again to converge)."
      })
  static final class Apply extends PlanCommand {
    @Override
    int run() {
      Optional<HeraldFile.Loaded> desired = desired();
      if (desired.isEmpty()) {
        return 1;
      }
      JsonNode applied =
          client(java.time.Duration.ofMinutes(10)).config().apply(desired.get().desired(), prune);
      print(applied, true);
      return 0;
    }
  }
}
