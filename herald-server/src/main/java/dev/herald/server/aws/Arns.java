package dev.herald.server.aws;

import java.util.Optional;

/**
 * The ARNs Herald answers and accepts, in its configured account and region: buses {@code
 * arn:aws:events:<region>:<account>:event-bus/<bus>}, rules {@code ...:rule/<bus>/<rule>}, queues
 * {@code arn:aws:sqs:<region>:<account>:<queue>}, API destinations {@code
 * ...:api-destination/<name>[/<id>]} (webhook targets) and any other target {@code
 * ...:herald-target/<name>}. Immutable.
 *
 * @param account the delivered envelope's account
 * @param region the delivered envelope's region
 */
public record Arns(String account, String region) {

  String bus(String name) {
    return "arn:aws:events:" + region + ":" + account + ":event-bus/" + name;
  }

  String rule(String bus, String rule) {
    return "arn:aws:events:"
        + region
        + ":"
        + account
        + ":rule/"
        + (bus.equals("default") ? "" : bus + "/")
        + rule;
  }

  String queue(String name) {
    return "arn:aws:sqs:" + region + ":" + account + ":" + name;
  }

  String apiDestination(String name) {
    return "arn:aws:events:" + region + ":" + account + ":api-destination/" + name;
  }

  String heraldTarget(String name) {
    return "arn:aws:events:" + region + ":" + account + ":herald-target/" + name;
  }

  /** A bus's name from its name or ARN. */
  String busName(String nameOrArn) {
    int at = nameOrArn.indexOf(":event-bus/");
    return nameOrArn.startsWith("arn:") && at >= 0
        ? nameOrArn.substring(at + ":event-bus/".length())
        : nameOrArn;
  }

  /** What an ARN names, by kind; any account and region are accepted. */
  sealed interface Named permits Queue, ApiDestination, HeraldTarget {}

  record Queue(String name) implements Named {}

  record ApiDestination(String name) implements Named {}

  record HeraldTarget(String name) implements Named {}

  /** Parses a target's ARN; empty when it is of a kind Herald cannot deliver to. */
  static Optional<Named> parse(String arn) {
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || !parts[0].equals("arn")) {
      return Optional.empty();
    }
    String resource = parts[5];
    if (parts[2].equals("sqs")) {
      return Optional.of(new Queue(resource));
    }
    if (parts[2].equals("events")) {
      if (resource.startsWith("api-destination/")) {
        String rest = resource.substring("api-destination/".length());
        int slash = rest.indexOf('/');
        return Optional.of(new ApiDestination(slash < 0 ? rest : rest.substring(0, slash)));
      }
      if (resource.startsWith("herald-target/")) {
        return Optional.of(new HeraldTarget(resource.substring("herald-target/".length())));
      }
    }
    return Optional.empty();
  }
}
