package dev.herald.bench.route;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a configuration change made through one instance takes to be applied by another on the
 * same store and broker. Makes N rule changes on instance A, one every 100 ms, and reads instance
 * B's {@code herald_config_propagation_seconds} (measured by B from the change's time to its
 * application).
 *
 * <pre>
 * java -cp herald-bench.jar dev.herald.bench.route.ConfigPropagationBench URL_A URL_B [N]
 * </pre>
 */
public final class ConfigPropagationBench {
  private ConfigPropagationBench() {}

  public static void main(String[] args) throws Exception {
    String a = args[0];
    String b = args[1];
    int changes = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    RouteBench.put(a + "/v1/targets/propagation", "{\"type\":\"log\"}");
    Thread.sleep(1000);
    double[] before = summary(b);
    for (int i = 0; i < changes; i++) {
      RouteBench.put(
          a + "/v1/buses/default/rules/propagation",
          "{\"pattern\":{\"source\":[\"p" + i + "\"]},\"targets\":[{\"target\":\"propagation\"}]}");
      Thread.sleep(100);
    }
    Thread.sleep(2000);
    double[] after = summary(b);
    double count = after[0] - before[0];
    double mean = (after[1] - before[1]) / count * 1000;
    System.out.printf(
        Locale.ROOT,
        "%d changes on A; B applied %.0f, mean %.1f ms, max %.1f ms (B's max over its uptime)%n",
        changes,
        count,
        mean,
        after[2] * 1000);
  }

  private static final Pattern LINE =
      Pattern.compile("(?m)^herald_config_propagation_seconds_(count|sum|max) ([0-9.E+-]+)$");

  /** count, sum, max of B's propagation timer. */
  private static double[] summary(String url) throws Exception {
    double[] values = new double[3];
    Matcher m = LINE.matcher(RouteBench.get(url + "/metrics"));
    while (m.find()) {
      int index =
          switch (m.group(1)) {
            case "count" -> 0;
            case "sum" -> 1;
            default -> 2;
          };
      values[index] = Double.parseDouble(m.group(2));
    }
    return values;
  }
}
