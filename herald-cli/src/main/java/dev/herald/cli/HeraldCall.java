package dev.herald.cli;

import dev.herald.client.HeraldClientException;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that calls Herald's HTTP API: {@code --url} (or {@code HERALD_URL}), and every error
 * printed as {@code herald: ...} with exit code 1 — unreachable: the message says so; answered:
 * code, message and field.
 */
abstract class HeraldCall implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      defaultValue = "${env:HERALD_URL:-http://127.0.0.1:8080}",
      description = "Herald's HTTP address (HERALD_URL). Default: ${DEFAULT-VALUE}")
  URI url;

  @Override
  public final Integer call() throws Exception {
    try {
      return run();
    } catch (HeraldClientException e) {
      System.err.println("herald: " + describe(e));
      return 1;
    }
  }

  abstract int run() throws Exception;

  /** How an error is printed; a command may name its own option for the API's field. */
  String describe(HeraldClientException e) {
    return e.status() == 0 ? e.getMessage() : e.toString();
  }
}
