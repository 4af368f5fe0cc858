// Ad-hoc measurement for docs/benchmarks.md ("Observability on the data path", issue 12): the CPU
// time per delivery of what the delivery path adds for logs and metrics (the MDC of a delivery:
// 7 puts and a clear on logback's adapter; the attempt and end-to-end timers with their fixed
// buckets on a PrometheusMeterRegistry). Run with herald-server's classpath:
//   ./mvnw -q dependency:build-classpath -pl herald-server -Dmdep.outputFile=/tmp/cp.txt
//   java -cp herald-server/target/classes:$(cat /tmp/cp.txt) herald-bench/scripts/ObsCost.java
import io.micrometer.core.instrument.*;
import io.micrometer.prometheusmetrics.*;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.MDC;

/** Ad-hoc: ns per delivery of what this branch adds on the hot path (MDC, 2 SLO timers). */
public class ObsCost {
  public static void main(String[] a) throws Exception {
    org.slf4j.LoggerFactory.getLogger("x"); // logback's MDC adapter
    PrometheusMeterRegistry reg = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Duration[] att = Stream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000).map(Duration::ofMillis).toArray(Duration[]::new);
    Duration[] e2e = Stream.of(10L, 25L, 50L, 100L, 250L, 500L, 1_000L, 2_500L, 5_000L, 10_000L, 30_000L, 60_000L, 300_000L, 900_000L, 3_600_000L, 21_600_000L, 86_400_000L).map(Duration::ofMillis).toArray(Duration[]::new);
    Timer t1 = Timer.builder("a").tag("target", "t").serviceLevelObjectives(att).register(reg);
    Timer t2 = Timer.builder("b").tag("target", "t").serviceLevelObjectives(e2e).register(reg);
    java.util.concurrent.ConcurrentHashMap<String, Timer> map = new java.util.concurrent.ConcurrentHashMap<>();
    map.put("t", t1);
    String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    for (int round = 0; round < 6; round++) {
      int n = 2_000_000;
      long s = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        MDC.put("eventId", "01M8CCHZSN000000G000000000");
        MDC.put("bus", "default");
        MDC.put("rule", "r");
        MDC.put("target", "t");
        MDC.put("deliveryKey", "96d6e0b1c2");
        MDC.put("attempt", Integer.toString(1 + (i & 1)));
        MDC.put("traceId", tp.substring(3, 35));
        MDC.clear();
      }
      long mdc = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - s) / n;
      s = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        map.get("t").record(1_000_000 + (i & 1023) * 1000L, TimeUnit.NANOSECONDS);
        t2.record(Duration.ofMillis(3 + (i & 63)));
      }
      long timers = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - s) / n;
      System.out.println("round " + round + ": MDC (7 puts + clear) " + mdc + " ns; 2 timer records " + timers + " ns");
    }
  }
}
