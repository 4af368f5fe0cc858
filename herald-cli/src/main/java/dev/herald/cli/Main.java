package dev.herald.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code herald} command. */
@Command(
    name = "herald",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Herald: publish domain events, route them by content, deliver them reliably.",
    subcommands = {
      ServeCommand.class,
      PublishCommand.class,
      EventsCommand.class,
      DlqCommand.class,
      TargetsCommand.class,
      AuditCommand.class,
      AnalyticsCommand.class,
      KeysCommand.class,
      TailCommand.class,
      ReplayCommand.class,
      ValidateCommand.class,
      PlanCommand.Plan.class,
      PlanCommand.Apply.class,
      ObjectCommands.Buses.class,
      ObjectCommands.Rules.class,
      StatusCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (for tests). */
  public static int run(String... args) {
    CommandLine line = new CommandLine(new Main());
    CommandLine.IParameterExceptionHandler usage = line.getParameterExceptionHandler();
    return line.setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              if (e instanceof CommandLine.ParameterException p) {
                usage.handleParseException(p, args);
                return USAGE;
              }
              cmd.getErr().println("herald: " + e.getMessage());
              return 1;
            })
        .setParameterExceptionHandler(
            (e, badArgs) -> {
              usage.handleParseException(e, badArgs);
              return USAGE;
            })
        .execute(args);
  }

  /** The exit code of a usage error of any command (sysexits.h EX_USAGE). */
  static final int USAGE = 64;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"herald " + (version == null ? "development build" : version)};
    }
  }
}
