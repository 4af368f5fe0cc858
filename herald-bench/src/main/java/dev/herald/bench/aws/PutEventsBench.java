package dev.herald.bench.aws;

import dev.herald.bench.load.ProcStat;
import dev.herald.client.HeraldClient;
import dev.herald.client.PublishEntry;
import dev.herald.client.PublishResult;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * PutEvents through the real AWS SDK's {@code EventBridgeClient} against the native {@code POST
 * /v1/events} (herald-client), both with batches of 10 entries (AWS's maximum) to the default bus,
 * against one running Herald: per side, {@code threads} senders in a closed loop send {@code
 * batches} batches; events/s from the wall time, Herald's CPU per event from {@code
 * /proc/<pid>/stat}. Rounds alternate which side goes first; a warm-up of each side comes first.
 *
 * <pre>
 * java -cp herald-bench.jar dev.herald.bench.aws.PutEventsBench URL PID [batches] [threads] [rounds]
 * </pre>
 */
public final class PutEventsBench {
  private static final int ENTRIES = 10;

  private PutEventsBench() {}

  /** One side: sends one batch of 10; returns the entries Herald refused. */
  private interface Side {
    int send(int n);
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    long pid = Long.parseLong(args[1]);
    int batches = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    HeraldClient herald = HeraldClient.builder().endpoint(url).build();
    try (EventBridgeClient aws =
        EventBridgeClient.builder()
            .endpointOverride(URI.create(url))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
            .build()) {
      Side sdk = n -> sdk(aws, n);
      Side nativeApi = n -> nativeApi(herald, n);
      run("warm-up native", nativeApi, pid, Math.max(1, batches / 5), threads);
      run("warm-up sdk", sdk, pid, Math.max(1, batches / 5), threads);
      double[][] results = new double[4][rounds]; // native eps, native cpu, sdk eps, sdk cpu
      for (int r = 0; r < rounds; r++) {
        boolean nativeFirst = r % 2 == 0;
        double[] a =
            run(
                "round " + (r + 1) + " " + (nativeFirst ? "native" : "sdk"),
                nativeFirst ? nativeApi : sdk,
                pid,
                batches,
                threads);
        double[] b =
            run(
                "round " + (r + 1) + " " + (nativeFirst ? "sdk" : "native"),
                nativeFirst ? sdk : nativeApi,
                pid,
                batches,
                threads);
        double[] n = nativeFirst ? a : b;
        double[] s = nativeFirst ? b : a;
        results[0][r] = n[0];
        results[1][r] = n[1];
        results[2][r] = s[0];
        results[3][r] = s[1];
      }
      System.out.printf(
          Locale.ROOT,
          "== medians of %d rounds, %d batches of %d per side, %d threads%n",
          rounds,
          batches,
          ENTRIES,
          threads);
      System.out.printf(
          Locale.ROOT, "%-28s %12s %12s %8s%n", "measure", "native", "aws-sdk", "sdk/nat");
      print("events_per_s", median(results[0]), median(results[2]));
      print("herald_cpu_us_per_event", median(results[1]), median(results[3]));
    }
  }

  private static void print(String name, double nat, double sdk) {
    System.out.printf(Locale.ROOT, "%-28s %12.1f %12.1f %8.3f%n", name, nat, sdk, sdk / nat);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Returns {events/s, Herald CPU µs per event}. */
  private static double[] run(String label, Side side, long pid, int batches, int threads)
      throws Exception {
    AtomicLong next = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    long cpuBefore = ProcStat.cpuNanos(pid);
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> senders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        senders.add(
            pool.submit(
                () -> {
                  for (long n = next.getAndIncrement(); n < batches; n = next.getAndIncrement()) {
                    refused.addAndGet(side.send((int) n));
                  }
                }));
      }
      for (Future<?> sender : senders) {
        sender.get();
      }
    } finally {
      pool.shutdown();
    }
    long nanos = System.nanoTime() - start;
    long cpu = ProcStat.cpuNanos(pid) - cpuBefore;
    long events = (long) batches * ENTRIES;
    double eps = events / (nanos / 1e9);
    double cpuPerEvent = cpu / 1e3 / events;
    System.out.printf(
        Locale.ROOT,
        "%-22s %8d events in %6.2f s: %8.1f events/s, Herald CPU %6.1f µs per event, %d refused%n",
        label,
        events,
        nanos / 1e9,
        eps,
        cpuPerEvent,
        refused.get());
    return new double[] {eps, cpuPerEvent};
  }

  private static String detail(int n, int i) {
    return "{\"orderId\":\"o-" + n + "-" + i + "\",\"total\":" + (n % 100) + ".5,\"items\":3}";
  }

  private static int sdk(EventBridgeClient aws, int n) {
    List<PutEventsRequestEntry> entries = new ArrayList<>(ENTRIES);
    for (int i = 0; i < ENTRIES; i++) {
      entries.add(
          PutEventsRequestEntry.builder()
              .eventBusName("default")
              .source("bench.shop")
              .detailType("OrderPlaced")
              .detail(detail(n, i))
              .build());
    }
    PutEventsResponse answer = aws.putEvents(PutEventsRequest.builder().entries(entries).build());
    return answer.failedEntryCount() == null ? 0 : answer.failedEntryCount();
  }

  private static int nativeApi(HeraldClient herald, int n) {
    List<PublishEntry> entries = new ArrayList<>(ENTRIES);
    for (int i = 0; i < ENTRIES; i++) {
      entries.add(PublishEntry.of("bench.shop", "OrderPlaced", detail(n, i)));
    }
    PublishResult answer = herald.publish(entries);
    return answer.failedEntryCount();
  }
}
