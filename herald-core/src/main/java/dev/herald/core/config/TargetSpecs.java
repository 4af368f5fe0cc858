package dev.herald.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.Names;
import dev.herald.core.json.Json;
import java.util.Optional;

/**
 * Parses and renders the target body of {@code PUT /v1/targets/{target}}.
 *
 * <p>Defaults: enabled; {@code timeoutMs} 5,000; {@code retry.maxAttempts} 8 (the first attempt
 * included), {@code retry.maxEventAgeSeconds} 86,400, backoff from 1,000 ms doubling up to one
 * hour; {@code concurrency.max} 64 (512 for {@code analytics}); no rate limit (1 per second for
 * {@code chat}); circuit on, opening at 90% failures over at least 20 attempts for 30 s; not
 * ordered.
 */
public final class TargetSpecs {
  public static final int MAX_TIMEOUT_MS = 15 * 60 * 1000;
  public static final long MAX_EVENT_AGE_SECONDS = 14L * 24 * 3600;

  /** Chat services accept about one message per second per channel (Slack's published limit). */
  public static final double CHAT_RATE = 1.0;

  /**
   * The analytics store commits the rows waiting for it in one transaction, so an analytics
   * target's throughput grows with its deliveries in flight (docs/benchmarks.md).
   */
  public static final int ANALYTICS_CONCURRENCY = 512;

  /** What SQS calls a target's dead letters: the queue {@code <target>-dlq}. */
  public static final String DEAD_LETTER_QUEUE_SUFFIX = "-dlq";

  private TargetSpecs() {}

  public static TargetSpec parse(String name, JsonNode json) {
    requireName(name);
    if (name.endsWith(DEAD_LETTER_QUEUE_SUFFIX)) {
      throw new ConfigException.Invalid(
          "name",
          "target names ending in '"
              + DEAD_LETTER_QUEUE_SUFFIX
              + "' are refused: '<target>-dlq' is the SQS queue of a target's dead letters, got '"
              + name
              + "'");
    }
    Body body = Body.of(json, "");
    String type = body.requiredText("type", 32);
    if (!TargetTypes.exists(type)) {
      throw new ConfigException.Invalid(
          "type", "type must be one of " + TargetTypes.names() + ", got '" + type + "'");
    }
    ObjectNode settings =
        body.node(type)
            .map(
                v -> {
                  if (!v.isObject()) {
                    throw new ConfigException.Invalid(type, type + " must be a JSON object");
                  }
                  return (ObjectNode) v.deepCopy();
                })
            .orElseGet(Json::object);
    TargetTypes.check(type, settings, type);
    boolean enabled = body.bool("enabled", true);
    int timeoutMs = (int) body.number("timeoutMs", 5000, 1, MAX_TIMEOUT_MS);
    TargetSpec.RetryPolicy retry = retry(body.object("retry"));
    if (timeoutMs >= retry.maxEventAgeSeconds() * 1000) {
      throw new ConfigException.Invalid(
          "timeoutMs", "timeoutMs must be less than retry.maxEventAgeSeconds");
    }
    int defaultConcurrency = type.equals("analytics") ? ANALYTICS_CONCURRENCY : 64;
    int concurrency =
        body.object("concurrency")
            .map(c -> read(c, b -> (int) b.number("max", defaultConcurrency, 1, 1024)))
            .orElse(defaultConcurrency);
    Optional<Double> rate =
        body.object("rateLimit")
            .map(r -> read(r, b -> b.decimal("perSecond", 0, 0.001, 100_000)))
            .or(() -> type.equals("chat") ? Optional.of(CHAT_RATE) : Optional.empty());
    TargetSpec.CircuitPolicy circuit = circuit(body.object("circuit"));
    boolean ordered = body.bool("ordered", false);
    // echoed back from a GET: allowed and ignored (If-Match carries the version; state is live)
    body.node("version");
    body.node("name");
    body.node("state");
    body.node("changedBy");
    body.finish();
    return new TargetSpec(
        name, type, settings, enabled, timeoutMs, retry, concurrency, rate, circuit, ordered);
  }

  private static TargetSpec.RetryPolicy retry(Optional<Body> retry) {
    return retry
        .map(
            r ->
                read(
                    r,
                    b -> {
                      int attempts = (int) b.number("maxAttempts", 8, 1, 186);
                      long age = b.number("maxEventAgeSeconds", 86_400, 60, MAX_EVENT_AGE_SECONDS);
                      TargetSpec.RetryPolicy backoff =
                          b.object("backoff")
                              .map(
                                  k ->
                                      read(
                                          k,
                                          x ->
                                              new TargetSpec.RetryPolicy(
                                                  attempts,
                                                  age,
                                                  x.number("initialMs", 1000, 1, 3_600_000),
                                                  x.decimal("multiplier", 2.0, 1.0, 10.0),
                                                  x.number("maxMs", 3_600_000, 1, 86_400_000))))
                              .orElse(
                                  new TargetSpec.RetryPolicy(attempts, age, 1000, 2.0, 3_600_000));
                      if (backoff.maxBackoffMs() < backoff.initialBackoffMs()) {
                        throw new ConfigException.Invalid(
                            "retry.backoff.maxMs",
                            "retry.backoff.maxMs must be at least initialMs");
                      }
                      return backoff;
                    }))
        .orElse(new TargetSpec.RetryPolicy(8, 86_400, 1000, 2.0, 3_600_000));
  }

  private static TargetSpec.CircuitPolicy circuit(Optional<Body> circuit) {
    return circuit
        .map(
            c ->
                read(
                    c,
                    b ->
                        new TargetSpec.CircuitPolicy(
                            b.bool("enabled", true),
                            (int) b.number("failureRatePercent", 90, 1, 100),
                            (int) b.number("minimumAttempts", 20, 1, 100_000),
                            (int) b.number("openSeconds", 30, 1, 3600))))
        .orElse(new TargetSpec.CircuitPolicy(true, 90, 20, 30));
  }

  private static <T> T read(Body body, java.util.function.Function<Body, T> reader) {
    T value = reader.apply(body);
    body.finish();
    return value;
  }

  /** The API's JSON of a target, secrets shown as {@code "***"}. */
  public static ObjectNode toJson(TargetSpec spec, long version) {
    ObjectNode node = Json.object();
    node.put("name", spec.name());
    node.put("type", spec.type());
    node.set(
        spec.type(),
        Secrets.mask(spec.settings(), TargetTypes.secretPaths(spec.type(), spec.settings())));
    node.put("enabled", spec.enabled());
    node.put("timeoutMs", spec.timeoutMs());
    ObjectNode retry = node.putObject("retry");
    retry.put("maxAttempts", spec.retry().maxAttempts());
    retry.put("maxEventAgeSeconds", spec.retry().maxEventAgeSeconds());
    ObjectNode backoff = retry.putObject("backoff");
    backoff.put("initialMs", spec.retry().initialBackoffMs());
    backoff.put("multiplier", spec.retry().multiplier());
    backoff.put("maxMs", spec.retry().maxBackoffMs());
    node.putObject("concurrency").put("max", spec.concurrencyMax());
    spec.rateLimitPerSecond().ifPresent(r -> node.putObject("rateLimit").put("perSecond", r));
    ObjectNode circuit = node.putObject("circuit");
    circuit.put("enabled", spec.circuit().enabled());
    circuit.put("failureRatePercent", spec.circuit().failureRatePercent());
    circuit.put("minimumAttempts", spec.circuit().minimumAttempts());
    circuit.put("openSeconds", spec.circuit().openSeconds());
    node.put("ordered", spec.ordered());
    node.put("version", version);
    return node;
  }

  static void requireName(String name) {
    if (!Names.isValid(name)) {
      throw new ConfigException.Invalid(
          "name", "names are " + Names.describe() + ", got '" + name + "'");
    }
  }
}
