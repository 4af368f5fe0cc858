package dev.herald.server.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limits per API key and per bus ({@link RateLimitSettings}), one {@link TokenBucket} for
 * each key and bus that has a limit, on this instance. Publishing costs one token per entry, from
 * the key's bucket and from the bucket of each entry's bus; any other request with a key costs one
 * token from the key's bucket. A refused request takes no token from any bucket.
 *
 * <p>Each refusal counts in {@code herald.ratelimit.refused} (tags {@code limit} = {@code key} or
 * {@code bus}, and {@code name}); a key or bus being limited is logged once, then at most once a
 * minute with the number of refusals since the last line.
 *
 * <p>Thread-safe: the buckets live in concurrent maps and synchronize on themselves; request
 * threads call in concurrently. Buckets that are full are forgotten once more than {@value
 * #MAX_BUCKETS} exist, so names that are never used again cost no memory.
 */
public final class RateLimits {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);
  static final int MAX_BUCKETS = 4096;
  static final Duration LOG_EVERY = Duration.ofMinutes(1);

  /** A request refused: answer 429 with {@code Retry-After: retryAfterSeconds}. */
  public record Refusal(long retryAfterSeconds, String message, Optional<String> field) {}

  private final RateLimitSettings settings;
  private final InstantSource clock;
  private final MeterRegistry metrics;
  private final Map<String, Subject> keys = new ConcurrentHashMap<>();
  private final Map<String, Subject> buses = new ConcurrentHashMap<>();

  public RateLimits(RateLimitSettings settings, InstantSource clock, MeterRegistry metrics) {
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
  }

  public RateLimitSettings settings() {
    return settings;
  }

  /** Charges one request of key {@code keyId} (empty: auth is off, no key limit). */
  public Optional<Refusal> admitRequest(Optional<String> keyId) {
    if (keyId.isEmpty()) {
      return Optional.empty();
    }
    Optional<Subject> key = key(keyId.get());
    if (key.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Duration wait = key.get().bucket.tryTake(1, now);
    return wait.isZero() ? Optional.empty() : Optional.of(key.get().refuse(now, wait, 1, null));
  }

  /**
   * Charges a publish request: one token per entry from the key's bucket, and from the bucket of
   * each entry's bus.
   *
   * @param busOfEntry the bus of each entry in request order, empty for an entry whose bus is not a
   *     valid name (it fails validation; only the key pays for it)
   */
  public Optional<Refusal> admitPublish(Optional<String> keyId, List<Optional<String>> busOfEntry) {
    Instant now = clock.instant();
    Map<String, Integer> perBus = new LinkedHashMap<>();
    Map<String, Integer> firstIndex = new LinkedHashMap<>();
    for (int i = 0; i < busOfEntry.size(); i++) {
      int index = i;
      busOfEntry
          .get(i)
          .ifPresent(
              bus -> {
                perBus.merge(bus, 1, Integer::sum);
                firstIndex.putIfAbsent(bus, index);
              });
    }
    int cost = busOfEntry.size();
    Optional<Subject> key = keyId.flatMap(this::key);
    if (key.isPresent()) {
      Duration wait = key.get().bucket.tryTake(cost, now);
      if (!wait.isZero()) {
        return Optional.of(key.get().refuse(now, wait, cost, null));
      }
    }
    Map<Subject, Integer> taken = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> entry : perBus.entrySet()) {
      Optional<Subject> bus = bus(entry.getKey());
      if (bus.isEmpty()) {
        continue;
      }
      Duration wait = bus.get().bucket.tryTake(entry.getValue(), now);
      if (!wait.isZero()) {
        key.ifPresent(k -> k.bucket.giveBack(cost));
        taken.forEach((subject, tokens) -> subject.bucket.giveBack(tokens));
        return Optional.of(
            bus.get()
                .refuse(
                    now,
                    wait,
                    entry.getValue(),
                    "entries[" + firstIndex.get(entry.getKey()) + "].bus"));
      }
      taken.put(bus.get(), entry.getValue());
    }
    return Optional.empty();
  }

  /** How many buckets exist (for tests). */
  int bucketCount() {
    return keys.size() + buses.size();
  }

  private Optional<Subject> key(String id) {
    return subject(keys, "key", id, settings.forKey(id));
  }

  private Optional<Subject> bus(String name) {
    return subject(buses, "bus", name, settings.forBus(name));
  }

  private Optional<Subject> subject(
      Map<String, Subject> subjects, String kind, String name, OptionalInt limit) {
    if (limit.isEmpty()) {
      return Optional.empty();
    }
    Subject existing = subjects.get(name);
    if (existing != null) {
      return Optional.of(existing);
    }
    if (subjects.size() >= MAX_BUCKETS) {
      Instant now = clock.instant();
      subjects.values().removeIf(s -> s.bucket.full(now));
    }
    return Optional.of(
        subjects.computeIfAbsent(name, n -> new Subject(kind, n, limit.getAsInt(), clock)));
  }

  /** A key or bus with a limit: its bucket, its refusal counter and its log state. */
  private final class Subject {
    final String kind;
    final String name;
    final int perSecond;
    final TokenBucket bucket;
    final Counter refused;
    // guarded by this
    private Instant lastLogged;
    private long refusedSinceLog;

    Subject(String kind, String name, int perSecond, InstantSource clock) {
      this.kind = kind;
      this.name = name;
      this.perSecond = perSecond;
      this.bucket =
          new TokenBucket(perSecond, (double) perSecond * settings.burstSeconds(), clock.instant());
      this.refused =
          Counter.builder("herald.ratelimit.refused")
              .description("Requests refused with 429 by a rate limit")
              .tag("limit", kind)
              .tag("name", name)
              .register(metrics);
    }

    Refusal refuse(Instant now, Duration wait, int cost, String field) {
      refused.increment();
      logLimited(now);
      long seconds = Math.max(1, (wait.toNanos() + 999_999_999L) / 1_000_000_000L);
      String unit = kind.equals("key") ? "requests or events" : "events";
      String message =
          "rate limit of "
              + kind
              + " '"
              + name
              + "' exceeded: at most "
              + perSecond
              + " "
              + unit
              + " per second"
              + (cost > 1 ? "; this request counts " + cost : "")
              + "; retry after "
              + seconds
              + " s";
      return new Refusal(seconds, message, Optional.ofNullable(field));
    }

    private synchronized void logLimited(Instant now) {
      refusedSinceLog++;
      if (lastLogged == null) {
        LOG.warn(
            "rate limit: {} {} is being limited to {}/s (429 answered)", kind, name, perSecond);
      } else if (!now.isBefore(lastLogged.plus(LOG_EVERY))) {
        LOG.warn(
            "rate limit: {} {} is being limited to {}/s ({} requests refused in the last {} s)",
            kind,
            name,
            perSecond,
            refusedSinceLog,
            Duration.between(lastLogged, now).toSeconds());
      } else {
        return;
      }
      lastLogged = now;
      refusedSinceLog = 0;
    }
  }
}
