package dev.herald.bench.auth;

import dev.herald.core.auth.KeyToken;
import dev.herald.core.secret.SecretBox;
import dev.herald.server.auth.AuthFilter;
import dev.herald.server.auth.KeyRing;
import dev.herald.server.auth.Principal;
import dev.herald.server.limits.RateLimitSettings;
import dev.herald.server.limits.RateLimits;
import dev.herald.store.ApiKeyStore;
import dev.herald.store.StateStore;
import dev.herald.store.StoreConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU that auth adds to a request: Herald's {@link AuthFilter#authorize} (what the request
 * needs, the key's lookup and constant-time comparison, the scope check, the per-key rate limit)
 * with keys and without, side by side, one thread, average time per call.
 *
 * <ul>
 *   <li>{@code authOff}: no admin key exists (loopback development): the decision without keys.
 *   <li>{@code readKey}: {@code GET /v1/buses} with a {@code read} key among {@code keys} keys.
 *   <li>{@code publishKey}: {@code POST /v1/events} with a {@code publish:orders} key, and the
 *       per-entry scope check of a 10-entry request ({@link Principal#requirePublish}).
 *   <li>{@code readKeyRateLimited}: {@code readKey} with {@code HERALD_RATE_LIMIT_PER_KEY} set
 *       (high enough never to refuse): the token bucket's cost.
 *   <li>{@code unknownKey}: a key that does not exist (the 401, its exception included).
 * </ul>
 *
 * Run (after {@code ./mvnw -q install -DskipTests}):
 *
 * <pre>
 * java -cp herald-bench/target/herald-bench.jar org.openjdk.jmh.Main AuthBenchmark -f 1 -wi 3 -i 5
 * java -cp herald-bench/target/herald-bench.jar dev.herald.bench.auth.AuthBenchmark
 * </pre>
 *
 * The second is {@link #main}: the same calls timed by the CPU time of the calling thread rather
 * than the clock, which a busy shared machine disturbs much less (time spent waiting for a core is
 * not counted).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Threads(1)
@State(Scope.Benchmark)
public class AuthBenchmark {
  static final KeyToken ADMIN = new KeyToken("hk_admin", "admin-secret-0123456789abcdef");
  static final KeyToken READER = new KeyToken("hk_reader", "reader-secret-0123456789abcdef");
  static final KeyToken PUBLISHER = new KeyToken("hk_publisher", "publisher-secret-0123456789ab");

  /** How many keys the instance holds (the lookup is a hash map: the count should not matter). */
  @Param({"3", "1000"})
  int keys;

  Path dir;
  StateStore store;
  AuthFilter off;
  AuthFilter on;
  AuthFilter onLimited;
  Optional<String> readHeader;
  Optional<String> publishHeader;
  Optional<String> unknownHeader;
  List<com.fasterxml.jackson.databind.JsonNode> entries;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("auth-bench");
    SecretBox secrets = new SecretBox(SecretBox.newKey(new SecureRandom()), new SecureRandom());
    store = StateStore.open(StoreConfig.sqlite(dir.resolve("off"), secrets));
    InstantSource clock = InstantSource.system();
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    RateLimits none = new RateLimits(RateLimitSettings.none(), clock, metrics);
    KeyRing empty = new KeyRing(store.apiKeys(), clock);
    empty.reload();
    off = new AuthFilter(empty, false, none);

    StateStore keyed = StateStore.open(StoreConfig.sqlite(dir.resolve("on"), secrets));
    ApiKeyStore apiKeys = keyed.apiKeys();
    put(apiKeys, ADMIN, dev.herald.core.auth.Scope.ADMIN);
    put(apiKeys, READER, dev.herald.core.auth.Scope.READ);
    put(apiKeys, PUBLISHER, dev.herald.core.auth.Scope.publish("orders"));
    SecureRandom random = new SecureRandom();
    for (int i = 3; i < keys; i++) {
      put(apiKeys, KeyToken.generate(random), dev.herald.core.auth.Scope.publish("bus-" + i));
    }
    KeyRing ring = new KeyRing(apiKeys, clock);
    ring.reload();
    on = new AuthFilter(ring, false, none);
    onLimited =
        new AuthFilter(
            ring,
            false,
            new RateLimits(
                RateLimitSettings.of(Map.of(RateLimitSettings.PER_KEY, "10000000")),
                clock,
                metrics));
    keyed.close();
    readHeader = Optional.of("Bearer " + READER.text());
    publishHeader = Optional.of("Bearer " + PUBLISHER.text());
    unknownHeader = Optional.of("Bearer hk_nobody.nobody-secret-0123456789abcdef");
    entries = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      entries.add(
          dev.herald.core.json.Json.object()
              .put("bus", "orders")
              .put("source", "shop")
              .put("detailType", "OrderPlaced"));
    }
  }

  private static void put(ApiKeyStore store, KeyToken token, dev.herald.core.auth.Scope scope) {
    store.putKey(new ApiKeyStore.KeyWrite(token, "bench", List.of(scope), Optional.empty()));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    store.close();
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * Each scenario side by side, {@code keys} = 3: 5 rounds of 1,000,000 calls after a warm-up of
   * 3,000,000, timed by the thread's CPU time; prints the median and the spread of the rounds.
   */
  public static void main(String[] args) throws IOException {
    AuthBenchmark bench = new AuthBenchmark();
    bench.keys = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    bench.setUp();
    try {
      java.lang.management.ThreadMXBean threads =
          java.lang.management.ManagementFactory.getThreadMXBean();
      Map<String, java.util.function.Supplier<Object>> scenarios = new java.util.LinkedHashMap<>();
      scenarios.put("authOff", bench::authOff);
      scenarios.put("readKey", bench::readKey);
      scenarios.put("readKeyRateLimited", bench::readKeyRateLimited);
      scenarios.put("publishKey", bench::publishKey);
      scenarios.put("unknownKey", bench::unknownKey);
      int sink = 0;
      for (var scenario : scenarios.values()) {
        for (int i = 0; i < 3_000_000; i++) {
          sink += System.identityHashCode(scenario.get()) & 1;
        }
      }
      System.out.printf(
          "CPU ns per call (thread CPU time), keys=%d, median of 5 x 1,000,000 [min..max]%n",
          bench.keys);
      for (var scenario : scenarios.entrySet()) {
        double[] rounds = new double[5];
        for (int r = 0; r < rounds.length; r++) {
          long before = threads.getCurrentThreadCpuTime();
          for (int i = 0; i < 1_000_000; i++) {
            sink += System.identityHashCode(scenario.getValue().get()) & 1;
          }
          rounds[r] = (threads.getCurrentThreadCpuTime() - before) / 1_000_000.0;
        }
        java.util.Arrays.sort(rounds);
        System.out.printf(
            "%-20s %8.0f  [%.0f..%.0f]%n",
            scenario.getKey(), rounds[2], rounds[0], rounds[rounds.length - 1]);
      }
      System.out.println("(sink " + (sink & 1) + ")");
    } finally {
      bench.tearDown();
    }
  }

  @Benchmark
  public Optional<Principal> authOff() {
    return off.authorize("GET", "/v1/buses", Optional.empty());
  }

  @Benchmark
  public Optional<Principal> readKey() {
    return on.authorize("GET", "/v1/buses", readHeader);
  }

  @Benchmark
  public Optional<Principal> readKeyRateLimited() {
    return onLimited.authorize("GET", "/v1/buses", readHeader);
  }

  @Benchmark
  public Principal publishKey() {
    Principal principal = on.authorize("POST", "/v1/events", publishHeader).orElseThrow();
    principal.requirePublish(entries);
    return principal;
  }

  @Benchmark
  public Object unknownKey() {
    try {
      return on.authorize("GET", "/v1/buses", unknownHeader);
    } catch (RuntimeException e) {
      return e;
    }
  }
}
