package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.client.HeraldClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code herald analytics counts}: event counts from the analytics store. */
@Command(
    name = "analytics",
    mixinStandardHelpOptions = true,
    description = "Query the analytics store (events delivered to analytics targets).",
    subcommands = {AnalyticsCommand.CountsCommand.class})
final class AnalyticsCommand implements Runnable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "counts",
      mixinStandardHelpOptions = true,
      description = {
        "Print event counts per detail type (or source) and interval: one column per key, one"
            + " row per interval that had events; or the API's JSON with --json.",
        "Counts are kept per minute of the events' time; a minute counts when its start is in"
            + " [from, to)."
      })
  static final class CountsCommand extends HeraldCall {
    /** The API's parameter names and the options that set them, for error messages. */
    private static final Map<String, String> OPTIONS =
        Map.of(
            "bus", "--bus",
            "groupBy", "--group-by",
            "interval", "--interval",
            "from", "--from",
            "to", "--to",
            "top", "--top");

    @Option(names = "--bus", description = "Count the events of this bus only (default: all)")
    String bus;

    @Option(
        names = "--group-by",
        paramLabel = "detailType|source",
        description = "What a series counts. Default: detailType")
    String groupBy;

    @Option(
        names = "--interval",
        paramLabel = "1m|1h|1d",
        description = "The width of a point. Default: 1m")
    String interval;

    @Option(
        names = "--from",
        paramLabel = "TIME",
        description = "Start, RFC 3339 (2026-11-26T10:00:00Z). Default: an hour before --to")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End (excluded). Default: now")
    String to;

    @Option(
        names = "--top",
        paramLabel = "N",
        description = "How many keys, by total, 1 to 100. Default: 10")
    Integer top;

    @Option(names = "--json", description = "Print the API's JSON answer")
    boolean json;

    @Override
    int run() throws Exception {
      JsonNode answer = client().analyticsCounts(parameters());
      if (json) {
        System.out.println(MAPPER.writeValueAsString(answer));
      } else {
        print(answer);
      }
      return 0;
    }

    /** An answered error names the option rather than the API's parameter. */
    @Override
    String describe(HeraldClientException e) {
      String option = e.field() == null ? null : OPTIONS.get(e.field());
      return e.status() != 0 && option != null ? option + ": " + e.getMessage() : super.describe(e);
    }

    private Map<String, String> parameters() {
      Map<String, String> parameters = new LinkedHashMap<>();
      put(parameters, "bus", bus);
      put(parameters, "groupBy", groupBy);
      put(parameters, "interval", interval);
      put(parameters, "from", from);
      put(parameters, "to", to);
      put(parameters, "top", top == null ? null : String.valueOf(top));
      return parameters;
    }

    private static void put(Map<String, String> parameters, String name, String value) {
      if (value != null) {
        parameters.put(name, value);
      }
    }
  }

  /** The answer as a table: a header line, then one row per interval and one column per key. */
  static void print(JsonNode answer) {
    System.out.println(
        "events by "
            + answer.path("groupBy").asText()
            + " per "
            + answer.path("interval").asText()
            + ", "
            + answer.path("from").asText()
            + " to "
            + answer.path("to").asText()
            + (answer.has("bus") ? ", bus " + answer.path("bus").asText() : ", all buses"));
    JsonNode series = answer.path("series");
    if (series.isEmpty()) {
      System.out.println("no events counted in this range");
      return;
    }
    List<String> keys = new ArrayList<>();
    Map<String, Map<String, Long>> rows = new TreeMap<>(); // time -> key -> count
    for (JsonNode one : series) {
      String key = one.path("key").asText();
      keys.add(key);
      for (JsonNode point : one.path("points")) {
        rows.computeIfAbsent(point.path("t").asText(), t -> new LinkedHashMap<>())
            .put(key, point.path("count").asLong());
      }
    }
    List<String[]> table = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("TIME"));
    header.addAll(keys);
    table.add(header.toArray(String[]::new));
    rows.forEach(
        (time, counts) -> {
          List<String> row = new ArrayList<>(List.of(time));
          keys.forEach(k -> row.add(String.valueOf(counts.getOrDefault(k, 0L))));
          table.add(row.toArray(String[]::new));
        });
    List<String> totals = new ArrayList<>(List.of("TOTAL"));
    series.forEach(one -> totals.add(one.path("total").asText()));
    table.add(totals.toArray(String[]::new));
    printAligned(table);
  }

  /** Left-aligns the first column, right-aligns the counts. */
  private static void printAligned(List<String[]> table) {
    int[] widths = new int[table.getFirst().length];
    for (String[] row : table) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : table) {
      StringBuilder line = new StringBuilder();
      line.append(row[0]).append(" ".repeat(widths[0] - row[0].length()));
      for (int i = 1; i < row.length; i++) {
        line.append("  ").append(" ".repeat(widths[i] - row[i].length())).append(row[i]);
      }
      System.out.println(line.toString().stripTrailing());
    }
  }
}
