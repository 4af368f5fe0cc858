package dev.herald.bench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.client.HeraldClient;
import java.net.URI;
import java.time.Duration;

/**
 * Configuration as code at scale: plan and apply of RULES rules over BUSES buses naming TARGETS
 * targets against a running Herald (a fresh data dir for the first apply), then plan and apply
 * again with nothing to change.
 *
 * <pre>
 * java -cp herald-bench/target/herald-bench.jar dev.herald.bench.config.ConfigBench \
 *     http://127.0.0.1:8080 1000 200 10 [KEY]
 * </pre>
 */
public final class ConfigBench {
  private ConfigBench() {}

  public static void main(String[] args) {
    URI url = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8080");
    int rules = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int targets = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int buses = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    HeraldClient client =
        HeraldClient.create(url, Duration.ofMinutes(30)).withKey(args.length > 4 ? args[4] : null);
    ObjectNode desired = desired(rules, targets, buses);
    System.out.printf(
        "desired state: %d rules on %d buses, %d targets, %d bytes%n",
        rules, buses, targets, desired.toString().length());
    time("plan (first)", () -> client.config().plan(desired, false));
    time("apply (first)", () -> client.config().apply(desired, false));
    time("plan (nothing to change)", () -> client.config().plan(desired, false));
    time("apply (nothing to change)", () -> client.config().apply(desired, false));
  }

  static ObjectNode desired(int rules, int targets, int buses) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    ObjectNode b = root.putObject("buses");
    for (int i = 0; i < buses; i++) {
      b.putObject("bench-bus-" + i).put("description", "bench bus " + i);
    }
    ObjectNode t = root.putObject("targets");
    for (int i = 0; i < targets; i++) {
      ObjectNode target = t.putObject("bench-target-" + i);
      target.put("type", "log");
      target.putObject("retry").put("maxAttempts", 3 + i % 5);
    }
    ObjectNode r = root.putObject("rules");
    for (int i = 0; i < rules; i++) {
      ObjectNode rule = r.putObject("bench-bus-" + (i % buses) + "/rule-" + i);
      ObjectNode pattern = rule.putObject("pattern");
      pattern.putArray("source").add("bench.source-" + i);
      pattern.putObject("detail").putArray("kind").add("k" + (i % 17));
      rule.putArray("targets")
          .add(mapper.createObjectNode().put("target", "bench-target-" + (i % targets)))
          .add(mapper.createObjectNode().put("target", "bench-target-" + ((i * 7 + 1) % targets)));
    }
    return root;
  }

  private static void time(String what, java.util.function.Supplier<JsonNode> call) {
    long start = System.nanoTime();
    JsonNode answer = call.get();
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("%-28s %8d ms  %s%n", what, ms, answer.path("summary"));
  }
}
