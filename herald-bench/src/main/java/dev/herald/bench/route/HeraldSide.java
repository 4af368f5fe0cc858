package dev.herald.bench.route;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Herald's side of {@link VsRabbitBench}: 3 webhook targets ({@code concurrency.max} 64, 10 s
 * timeout) on the receiver's {@code /hook} and one rule sending every bench event to all of them;
 * with neighbours, a target on {@code /fail} and one on {@code /slow} join the same rule. Events
 * are published over HTTP (batches of 100 by 8 workers, or 10 per open-loop step). Not thread-safe:
 * one benchmark thread drives it.
 */
final class HeraldSide implements VsRabbitBench.Side {
  private static final int WORKERS = 8;
  private final String url;
  private final List<Long> pids;
  private final String hundred = VsRabbitBench.batch(100, 0);
  private final String ten = VsRabbitBench.batch(10, 0);

  HeraldSide(String url, List<Long> pids) {
    this.url = url;
    this.pids = pids;
  }

  @Override
  public void setUp(Receiver receiver, boolean neighbours) throws Exception {
    List<String> targets = new ArrayList<>(VsRabbitBench.HEALTHY);
    for (String t : targets) {
      RouteBench.put(url + "/v1/targets/" + t, webhook(receiver.url("/hook")));
    }
    if (neighbours) {
      RouteBench.put(url + "/v1/targets/" + VsRabbitBench.FAILING, webhook(receiver.url("/fail")));
      RouteBench.put(url + "/v1/targets/" + VsRabbitBench.SLOW, webhook(receiver.url("/slow")));
      targets.addAll(List.of(VsRabbitBench.FAILING, VsRabbitBench.SLOW));
    }
    StringBuilder rule = new StringBuilder();
    for (String t : targets) {
      rule.append(rule.isEmpty() ? "" : ",").append("{\"target\":\"").append(t).append("\"}");
    }
    RouteBench.put(
        url + "/v1/buses/default/rules/deliver-all",
        "{\"pattern\":{\"source\":[\"" + RouteBench.SOURCE + "\"]},\"targets\":[" + rule + "]}");
    if (neighbours) {
      Thread.sleep(1_000); // the rule change reaches the router
    }
  }

  private static String webhook(String target) {
    return "{\"type\":\"webhook\",\"webhook\":{\"url\":\""
        + target
        + "\"},\"concurrency\":{\"max\":64},\"timeoutMs\":10000}";
  }

  @Override
  public void publishAll(long events) throws Exception {
    AtomicLong remaining = new AtomicLong(events / 100);
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      workers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (remaining.getAndDecrement() > 0) {
                      RouteBench.Publisher.post(url, hundred);
                    }
                  }));
    }
    for (Thread t : workers) {
      t.join();
    }
  }

  @Override
  public void publishTen(ExecutorService executor) {
    executor.execute(() -> RouteBench.Publisher.post(url, ten));
  }

  @Override
  public long cpuNanos() throws IOException {
    return VsRabbitBench.cpuNanos(pids);
  }

  @Override
  public void close() {
    // the script started Herald and stops it
  }
}
