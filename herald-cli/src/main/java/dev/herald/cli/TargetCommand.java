package dev.herald.cli;

import dev.herald.client.HeraldClient;
import dev.herald.client.HeraldClientException;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What every command about one target shares: {@code --url}, {@code TARGET}, errors as {@code
 * herald: ...}.
 */
abstract class TargetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      defaultValue = "${env:HERALD_URL:-http://127.0.0.1:8080}",
      description = "Herald's HTTP address (HERALD_URL). Default: ${DEFAULT-VALUE}")
  URI url;

  @Parameters(index = "0", paramLabel = "TARGET", description = "The target's name")
  String target;

  @Override
  public final Integer call() throws Exception {
    try {
      return run(HeraldClient.create(url));
    } catch (HeraldClientException e) {
      // Unreachable: the message says so; answered errors: code, message and field.
      System.err.println("herald: " + (e.status() == 0 ? e.getMessage() : e.toString()));
      return 1;
    }
  }

  abstract int run(HeraldClient client) throws Exception;
}
