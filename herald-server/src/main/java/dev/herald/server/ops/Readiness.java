package dev.herald.server.ops;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Whether this instance can accept writes: every named check passes. Results are cached for {@link
 * #CACHE_MILLIS} so that a probe storm costs the engine and store one check a second. Thread-safe:
 * the cached result is an immutable map behind a volatile field.
 */
public final class Readiness {
  static final long CACHE_MILLIS = 1000;

  /** A check answers null when healthy, else why not. */
  private final Map<String, Supplier<String>> checks = new LinkedHashMap<>();

  private final InstantSource clock;
  private Map<String, String> last; // null until the first check
  private long checkedAt;

  public Readiness(InstantSource clock) {
    this.clock = clock;
  }

  public Readiness check(String name, Supplier<String> check) {
    checks.put(name, check);
    return this;
  }

  /** Each check's problem, by name; "ok" for the healthy ones. */
  public synchronized Map<String, String> status() {
    long now = clock.millis();
    if (last == null || now - checkedAt >= CACHE_MILLIS) {
      Map<String, String> result = new LinkedHashMap<>();
      checks.forEach((name, check) -> result.put(name, run(check)));
      last = Map.copyOf(result);
      checkedAt = now;
    }
    return last;
  }

  private static String run(Supplier<String> check) {
    try {
      String problem = check.get();
      return problem == null ? "ok" : problem;
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }
}
