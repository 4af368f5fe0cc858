package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code herald keys create|list|revoke}: API keys. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create, list, show, import (put) and revoke (revoke or delete) API keys.",
    subcommands = {
      KeysCommand.Create.class,
      KeysCommand.ListKeys.class,
      KeysCommand.Revoke.class,
      ObjectCommands.GetKey.class,
      ObjectCommands.PutKey.class,
      ObjectCommands.DeleteKey.class
    })
final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create an API key and print it (<id>.<secret>) on stdout: the only time it is shown.",
        "Scopes: admin, read, publish:<bus>, publish:*, queue:<target>, queue:*."
      })
  static final class Create extends HeraldCall {
    @Option(names = "--name", required = true, description = "What the key is for")
    String name;

    @Option(
        names = "--scope",
        required = true,
        split = ",",
        paramLabel = "SCOPE",
        description = "A scope; repeat (or separate with commas) for several")
    List<String> scopes;

    @Override
    int run() {
      JsonNode created = client().createKey(name, scopes);
      System.err.println(
          "herald: created key "
              + created.path("id").asText()
              + " with scopes "
              + scopes(created)
              + "; store it now, it is not shown again");
      System.out.println(created.path("key").asText());
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the API keys (never their secrets).")
  static final class ListKeys extends HeraldCall {
    @Option(names = "--json", description = "Print each key as one line of JSON")
    boolean json;

    @picocli.CommandLine.Mixin Output.OutputOption output;

    @Override
    int run() throws Exception {
      List<JsonNode> keys = client().keys();
      if (json) {
        keys.forEach(k -> System.out.println(k.toString()));
        return 0;
      }
      if (output.format != Output.Format.table) {
        Output.print(keys, output.format, ObjectCommands.KEY_HEADERS, ObjectCommands::keyRow);
        return 0;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ID", "NAME", "SCOPES", "CREATED", "LAST USED"});
      for (JsonNode k : keys) {
        rows.add(
            new String[] {
              k.path("id").asText(),
              k.path("name").asText(),
              scopes(k),
              k.path("createdAt").asText(),
              k.path("lastUsedAt").isNull() ? "never" : k.path("lastUsedAt").asText()
            });
      }
      Tables.print(rows);
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke an API key: it stops working on every instance within a second.")
  static final class Revoke extends HeraldCall {
    @Parameters(paramLabel = "ID", description = "The key's id (the part before the dot)")
    String id;

    @Override
    int run() {
      client().revokeKey(id);
      System.out.println("revoked " + id);
      return 0;
    }
  }

  private static String scopes(JsonNode key) {
    List<String> scopes = new ArrayList<>();
    key.path("scopes").forEach(s -> scopes.add(s.asText()));
    return String.join(",", scopes);
  }
}
