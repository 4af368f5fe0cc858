package dev.herald.bench.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the result of a run twice: one line of JSON (for scripts: it is the only line of the
 * output that starts with <code>{</code>) and a table for people.
 */
public final class Report {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Report() {}

  /**
   * Prints the report of one run.
   *
   * @param scenario the subcommand, e.g. {@code ingest}
   * @param params the options of the run, in display order
   * @param clientCpuSeconds CPU time this load generator used during the measured window
   */
  public static ObjectNode json(
      String scenario, Map<String, Object> params, Tally.Result r, double clientCpuSeconds) {
    ObjectNode node = JSON.createObjectNode();
    node.put("scenario", scenario);
    ObjectNode p = node.putObject("params");
    params.forEach((k, v) -> p.set(k, JSON.valueToTree(v)));
    node.put("seconds", round(r.seconds(), 3));
    node.put("requests", r.requests());
    node.put("acceptedEvents", r.acceptedEvents());
    node.put("eventsPerSec", round(r.eventsPerSecond(), 1));
    node.put("requestsPerSec", round(r.requestsPerSecond(), 1));
    node.put("p50Ms", round(r.latencyMillis(50), 3));
    node.put("p90Ms", round(r.latencyMillis(90), 3));
    node.put("p99Ms", round(r.latencyMillis(99), 3));
    node.put("p999Ms", round(r.latencyMillis(99.9), 3));
    node.put("maxMs", round(r.maxLatencyMillis(), 3));
    node.put("failedEntries", r.failedEntries());
    node.put("httpErrors", r.httpErrors());
    node.put("failures", r.failures());
    ObjectNode errors = node.putObject("errors");
    r.errors().forEach(errors::put);
    node.put("clientCpuSec", round(clientCpuSeconds, 2));
    return node;
  }

  public static void print(
      PrintStream out,
      String scenario,
      Map<String, Object> params,
      Tally.Result r,
      double clientCpuSeconds) {
    try {
      out.println(JSON.writeValueAsString(json(scenario, params, r, clientCpuSeconds)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.println();
    out.println("  " + scenario + " " + params);
    row(out, "measured", "%.1f s", r.seconds());
    row(out, "events/s accepted", "%,.0f", r.eventsPerSecond());
    row(out, "requests/s", "%,.0f", r.requestsPerSecond());
    row(out, "events accepted", "%,d", r.acceptedEvents());
    row(
        out,
        "latency ms p50/p90/p99",
        "%.2f / %.2f / %.2f",
        r.latencyMillis(50),
        r.latencyMillis(90),
        r.latencyMillis(99));
    row(out, "latency ms p99.9/max", "%.2f / %.2f", r.latencyMillis(99.9), r.maxLatencyMillis());
    row(
        out,
        "errors",
        "%,d failed entries, %,d non-2xx, %,d no answer %s",
        r.failedEntries(),
        r.httpErrors(),
        r.failures(),
        r.errors().isEmpty() ? "" : r.errors());
    row(
        out,
        "load generator CPU",
        "%.1f s (%.2f cores)",
        clientCpuSeconds,
        clientCpuSeconds / r.seconds());
  }

  @SuppressWarnings("AnnotateFormatMethod") // no Error Prone annotations on the class path
  private static void row(PrintStream out, String label, String format, Object... args) {
    out.printf(Locale.ROOT, "  %-24s %s%n", label, String.format(Locale.ROOT, format, args));
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
