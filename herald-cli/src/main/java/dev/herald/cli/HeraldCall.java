package dev.herald.cli;

import dev.herald.client.HeraldClient;
import dev.herald.client.HeraldClientException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that calls Herald's HTTP API: {@code --url} (or {@code HERALD_URL}), {@code --key} (or
 * {@code HERALD_KEY}), and every error printed as {@code herald: ...} with exit code 1 —
 * unreachable: the message says so; answered: code, message and field.
 */
abstract class HeraldCall implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      defaultValue = "${env:HERALD_URL:-http://127.0.0.1:8080}",
      description = "Herald's HTTP address (HERALD_URL). Default: ${DEFAULT-VALUE}")
  URI url;

  @Option(
      names = "--key",
      defaultValue = "${env:HERALD_KEY}",
      paramLabel = "ID.SECRET",
      description = "The API key to send (HERALD_KEY); none while Herald has no admin key")
  String key;

  /** A client of {@code --url} sending {@code --key}. */
  HeraldClient client() {
    return HeraldClient.create(url).withKey(key);
  }

  /** A client whose requests may each take up to {@code timeout}. */
  HeraldClient client(Duration timeout) {
    return HeraldClient.create(url, timeout).withKey(key);
  }

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
