package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.client.ConfigCalls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald buses|rules list|get|put|delete}, and {@code list|put|delete} of targets and {@code
 * get|put|delete} of keys beside their older commands: one object at a time through the admin API,
 * tables by default, {@code -o json|yaml}; put reads YAML or JSON from {@code -f FILE} or stdin.
 */
final class ObjectCommands {
  private ObjectCommands() {}

  static final String[] BUS_HEADERS = {
    "NAME", "DESCRIPTION", "RETENTION DAYS", "VERSION", "CHANGED BY"
  };
  static final String[] RULE_HEADERS = {
    "BUS", "NAME", "ENABLED", "TARGETS", "VERSION", "CHANGED BY"
  };
  static final String[] TARGET_HEADERS = {"NAME", "TYPE", "ENABLED", "VERSION", "CHANGED BY"};
  static final String[] KEY_HEADERS = {"ID", "NAME", "SCOPES", "CREATED", "LAST USED"};

  static String[] busRow(JsonNode b) {
    return new String[] {
      Output.text(b, "name"),
      Output.text(b, "description"),
      Output.text(b, "archiveRetentionDays"),
      Output.text(b, "version"),
      Output.text(b, "changedBy")
    };
  }

  static String[] ruleRow(JsonNode r) {
    List<String> targets = new ArrayList<>();
    r.path("targets").forEach(t -> targets.add(t.path("target").asText()));
    return new String[] {
      Output.text(r, "bus"),
      Output.text(r, "name"),
      Output.text(r, "enabled"),
      String.join(",", targets),
      Output.text(r, "version"),
      Output.text(r, "changedBy")
    };
  }

  static String[] targetRow(JsonNode t) {
    return new String[] {
      Output.text(t, "name"),
      Output.text(t, "type"),
      Output.text(t, "enabled"),
      Output.text(t, "version"),
      Output.text(t, "changedBy")
    };
  }

  static String[] keyRow(JsonNode k) {
    List<String> scopes = new ArrayList<>();
    k.path("scopes").forEach(s -> scopes.add(s.asText()));
    return new String[] {
      Output.text(k, "id"),
      Output.text(k, "name"),
      String.join(",", scopes),
      Output.text(k, "createdAt"),
      k.path("lastUsedAt").isTextual() ? k.path("lastUsedAt").asText() : "never"
    };
  }

  /** A {@code BUS/RULE} argument split in two, or a usage error. */
  static String[] rule(CommandSpec spec, String name) {
    int slash = name.indexOf('/');
    if (slash <= 0 || slash == name.length() - 1 || slash != name.lastIndexOf('/')) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "a rule is named BUS/RULE, such as orders/big-orders; got '" + name + "'");
    }
    return new String[] {name.substring(0, slash), name.substring(slash + 1)};
  }

  /** Lists objects. */
  abstract static class ListCall extends HeraldCall {
    @Mixin Output.OutputOption output;
  }

  /** Gets one object by name. */
  abstract static class GetCall extends HeraldCall {
    @Mixin Output.OutputOption output;

    @Parameters(index = "0", paramLabel = "NAME", description = "The object's name")
    String name;

    abstract String path();

    abstract String[] headers();

    abstract Function<JsonNode, String[]> row();

    @Override
    int run() throws Exception {
      Output.printOne(client().config().get(path()), output.format, headers(), row());
      return 0;
    }
  }

  /** Puts one object from a file or stdin. */
  abstract static class PutCall extends HeraldCall {
    @Mixin Output.OutputOption output;

    @Parameters(index = "0", paramLabel = "NAME", description = "The object's name")
    String name;

    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        description = "The object in YAML or JSON; - or none reads stdin")
    Path file;

    abstract String path();

    abstract String[] headers();

    abstract Function<JsonNode, String[]> row();

    @Override
    int run() throws Exception {
      JsonNode stored = client().config().put(path(), Output.read(file));
      Output.printOne(stored, output.format, headers(), row());
      return 0;
    }
  }

  /** Deletes one object. */
  abstract static class DeleteCall extends HeraldCall {
    @Parameters(index = "0", paramLabel = "NAME", description = "The object's name")
    String name;

    abstract String path();

    @Override
    int run() {
      client().config().delete(path());
      System.out.println("deleted " + name);
      return 0;
    }
  }

  @Command(
      name = "buses",
      mixinStandardHelpOptions = true,
      description = "List, show, put (create or update) and delete buses.",
      subcommands = {Buses.ListBuses.class, Buses.Get.class, Buses.Put.class, Buses.Delete.class})
  static final class Buses implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(System.out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the buses.")
    static final class ListBuses extends ListCall {
      @Override
      int run() throws Exception {
        Output.print(client().config().buses(), output.format, BUS_HEADERS, ObjectCommands::busRow);
        return 0;
      }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a bus.")
    static final class Get extends GetCall {
      @Override
      String path() {
        return ConfigCalls.bus(name);
      }

      @Override
      String[] headers() {
        return BUS_HEADERS;
      }

      @Override
      Function<JsonNode, String[]> row() {
        return ObjectCommands::busRow;
      }
    }

    @Command(
        name = "put",
        mixinStandardHelpOptions = true,
        description = "Create or update a bus: {description, archiveRetentionDays}.")
    static final class Put extends PutCall {
      @Override
      String path() {
        return ConfigCalls.bus(name);
      }

      @Override
      String[] headers() {
        return BUS_HEADERS;
      }

      @Override
      Function<JsonNode, String[]> row() {
        return ObjectCommands::busRow;
      }
    }

    @Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Delete a bus (refused while it has rules).")
    static final class Delete extends DeleteCall {
      @Override
      String path() {
        return ConfigCalls.bus(name);
      }
    }
  }

  @Command(
      name = "rules",
      mixinStandardHelpOptions = true,
      description = "List, show, put (create or update) and delete rules, named BUS/RULE.",
      subcommands = {Rules.ListRules.class, Rules.Get.class, Rules.Put.class, Rules.Delete.class})
  static final class Rules implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(System.out);
    }

    @Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the rules of a bus, or of every bus.")
    static final class ListRules extends ListCall {
      @Option(names = "--bus", paramLabel = "BUS", description = "Only this bus's rules")
      String bus;

      @Override
      int run() throws Exception {
        ConfigCalls config = client().config();
        List<JsonNode> rules = new ArrayList<>();
        if (bus != null) {
          rules.addAll(config.rules(bus));
        } else {
          for (JsonNode b : config.buses()) {
            rules.addAll(config.rules(b.path("name").asText()));
          }
        }
        Output.print(rules, output.format, RULE_HEADERS, ObjectCommands::ruleRow);
        return 0;
      }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a rule (BUS/RULE).")
    static final class Get extends GetCall {
      @Override
      String path() {
        String[] r = rule(spec, name);
        return ConfigCalls.rule(r[0], r[1]);
      }

      @Override
      String[] headers() {
        return RULE_HEADERS;
      }

      @Override
      Function<JsonNode, String[]> row() {
        return ObjectCommands::ruleRow;
      }
    }

    @Command(
        name = "put",
        mixinStandardHelpOptions = true,
        description =
            "Create or update a rule (BUS/RULE): {pattern, targets, enabled, description}.")
    static final class Put extends PutCall {
      @Override
      String path() {
        String[] r = rule(spec, name);
        return ConfigCalls.rule(r[0], r[1]);
      }

      @Override
      String[] headers() {
        return RULE_HEADERS;
      }

      @Override
      Function<JsonNode, String[]> row() {
        return ObjectCommands::ruleRow;
      }
    }

    @Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Delete a rule (BUS/RULE).")
    static final class Delete extends DeleteCall {
      @Override
      String path() {
        String[] r = rule(spec, name);
        return ConfigCalls.rule(r[0], r[1]);
      }
    }
  }

  /** {@code herald targets list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the targets.")
  static final class ListTargets extends ListCall {
    @Override
    int run() throws Exception {
      Output.print(
          client().config().targets(), output.format, TARGET_HEADERS, ObjectCommands::targetRow);
      return 0;
    }
  }

  /** {@code herald targets put}. */
  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Create or update a target: {type, <type>: {...settings}, retry, ...}.")
  static final class PutTarget extends PutCall {
    @Override
    String path() {
      return ConfigCalls.target(name);
    }

    @Override
    String[] headers() {
      return TARGET_HEADERS;
    }

    @Override
    Function<JsonNode, String[]> row() {
      return ObjectCommands::targetRow;
    }
  }

  /** {@code herald targets delete}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a target (refused while a rule names it).")
  static final class DeleteTarget extends DeleteCall {
    @Override
    String path() {
      return ConfigCalls.target(name);
    }
  }

  /** {@code herald keys get}. */
  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Show a key (never its secret).")
  static final class GetKey extends GetCall {
    @Override
    String path() {
      return ConfigCalls.key(name);
    }

    @Override
    String[] headers() {
      return KEY_HEADERS;
    }

    @Override
    Function<JsonNode, String[]> row() {
      return ObjectCommands::keyRow;
    }
  }

  /** {@code herald keys put}. */
  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Import a key whose secret you hold (NAME is its id): {name, scopes, secret}.")
  static final class PutKey extends PutCall {
    @Override
    String path() {
      return ConfigCalls.key(name);
    }

    @Override
    String[] headers() {
      return KEY_HEADERS;
    }

    @Override
    Function<JsonNode, String[]> row() {
      return ObjectCommands::keyRow;
    }
  }

  /** {@code herald keys delete}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Revoke a key (its id).")
  static final class DeleteKey extends DeleteCall {
    @Override
    String path() {
      return ConfigCalls.key(name);
    }
  }
}
