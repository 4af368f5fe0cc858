package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code herald status}: one line per target from {@code GET /v1/stats}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "One line per target: attempts per second, p99 latency, backlog, dead letters, circuit and",
      "whether it is enabled (GET /v1/stats; rates over the last minute or so)."
    })
final class StatusCommand extends HeraldCall {
  static final String[] HEADERS = {
    "TARGET", "TYPE", "RATE/S", "P99 MS", "BACKLOG", "DEAD LETTERS", "CIRCUIT", "ENABLED"
  };

  @Mixin Output.OutputOption output;

  @Override
  int run() throws Exception {
    JsonNode stats = client().config().stats();
    List<JsonNode> targets = new ArrayList<>();
    stats.path("targets").forEach(targets::add);
    Output.print(targets, output.format, HEADERS, StatusCommand::row);
    return 0;
  }

  static String[] row(JsonNode t) {
    return new String[] {
      Output.text(t, "name"),
      Output.text(t, "type"),
      Output.text(t, "rate"),
      t.path("p99Ms").isNumber() ? t.path("p99Ms").asText() : "-",
      t.path("backlog").isNumber() ? t.path("backlog").asText() : "-",
      Output.text(t, "deadLetters"),
      Output.text(t, "circuit"),
      Output.text(t, "enabled")
    };
  }
}
