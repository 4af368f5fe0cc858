package dev.herald.bench.route;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How soon a new target gets its first event (issue 10, goal 6: within 1 s):
 *
 * <pre>
 * java -cp herald-bench.jar dev.herald.bench.route.NewTargetBench URL [ROUNDS]
 * </pre>
 *
 * <p>Each round creates a webhook target on a local receiver and a rule sending a source of its own
 * to it (PUT, PUT), waits 100 ms, publishes one event of that source and measures the time from the
 * publish to the receiver's call. Prints each round and the median and maximum; a round that gets
 * nothing within 30 s counts as 30 s.
 */
public final class NewTargetBench {
  private NewTargetBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    var arrivals = new ConcurrentHashMap<String, CompletableFuture<Long>>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          String path = exchange.getRequestURI().getPath();
          arrivals
              .computeIfAbsent(path, p -> new CompletableFuture<>())
              .complete(System.nanoTime());
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try {
      String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
      String run = Long.toString(System.currentTimeMillis() % 100_000);
      List<Double> millis = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        String name = "new-target-" + run + "-" + i;
        RouteBench.put(
            url + "/v1/targets/" + name,
            "{\"type\":\"webhook\",\"webhook\":{\"url\":\"" + base + "/" + name + "\"}}");
        RouteBench.put(
            url + "/v1/buses/default/rules/" + name,
            "{\"pattern\":{\"source\":[\""
                + name
                + "\"]},\"targets\":[{\"target\":\""
                + name
                + "\"}]}");
        Thread.sleep(100);
        long published = System.nanoTime();
        RouteBench.Publisher.post(
            url,
            "{\"entries\":[{\"source\":\"" + name + "\",\"detailType\":\"Probe\",\"detail\":{}}]}");
        double ms;
        try {
          long arrived =
              arrivals
                  .computeIfAbsent("/" + name, p -> new CompletableFuture<>())
                  .get(30, TimeUnit.SECONDS);
          ms = (arrived - published) / 1e6;
        } catch (TimeoutException e) {
          ms = 30_000;
        }
        millis.add(ms);
        System.out.printf(Locale.ROOT, "round %d: first delivery %.0f ms after publish%n", i, ms);
      }
      List<Double> sorted = millis.stream().sorted().toList();
      System.out.printf(
          Locale.ROOT,
          "new target, event published 100 ms after its PUT: median %.0f ms, max %.0f ms"
              + " (%d rounds)%n",
          sorted.get(sorted.size() / 2),
          sorted.getLast(),
          rounds);
    } finally {
      receiver.stop(0);
    }
  }
}
