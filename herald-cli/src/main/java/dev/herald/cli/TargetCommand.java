package dev.herald.cli;

import dev.herald.client.HeraldClient;
import picocli.CommandLine.Parameters;

/** A command about one target: {@code TARGET} beside what every {@link HeraldCall} has. */
abstract class TargetCommand extends HeraldCall {
  @Parameters(index = "0", paramLabel = "TARGET", description = "The target's name")
  String target;

  @Override
  final int run() throws Exception {
    return run(client());
  }

  abstract int run(HeraldClient client) throws Exception;
}
