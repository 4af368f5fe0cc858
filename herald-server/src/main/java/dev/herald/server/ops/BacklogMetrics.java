package dev.herald.server.ops;

import dev.herald.engine.topic.Topics;
import dev.herald.store.Bus;
import dev.herald.store.ConfigStore;
import dev.herald.store.DeadLetterStore;
import dev.herald.store.RetryStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What waits, as gauges read from the engine and the store every {@link #PERIOD} on a thread of its
 * own (a scrape never waits for either): per target its backlog ({@code herald.target.backlog},
 * records of its topic not delivered yet: the delivery consumers' lag), its scheduled retries
 * ({@code herald.target.retries.scheduled}) and its dead letters ({@code
 * herald.target.dead.letters}); per bus the router's lag ({@code herald.router.lag}). A target or
 * bus gets its gauges at the first poll that sees it and loses them at the first that does not. A
 * value that could not be read is NaN (absent from Prometheus' view), never a stale number.
 *
 * <p>Thread-safety: one poller thread writes the values into a concurrent map; scrapes read them.
 */
public final class BacklogMetrics implements AutoCloseable {
  static final Duration PERIOD = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(BacklogMetrics.class);

  private final ConfigStore config;
  private final RetryStore retries;
  private final DeadLetterStore deadLetters;
  private final Topics topics;
  private final MeterRegistry metrics;
  private final Map<String, Double> values = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> targetGauges = new HashMap<>();
  private final Map<String, List<Meter>> busGauges = new HashMap<>();
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("herald-backlog-metrics").daemon().factory());
  private int failures;

  public BacklogMetrics(
      ConfigStore config,
      RetryStore retries,
      DeadLetterStore deadLetters,
      Topics topics,
      MeterRegistry metrics) {
    this.config = config;
    this.retries = retries;
    this.deadLetters = deadLetters;
    this.topics = topics;
    this.metrics = metrics;
  }

  /** Polls now, then every {@link #PERIOD}. */
  public BacklogMetrics start() {
    var unused = // runs until close(); poll() catches its own failures
        poller.scheduleWithFixedDelay(this::poll, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * One poll: reads every value, (un)registers the gauges of targets and buses that came or went.
   */
  void poll() {
    try {
      Set<String> targets =
          config.targets().stream().map(t -> t.spec().name()).collect(Collectors.toSet());
      Set<String> buses = config.buses().stream().map(Bus::name).collect(Collectors.toSet());
      follow(targetGauges, targets, this::registerTarget);
      follow(busGauges, buses, this::registerBus);
      readTargets(targets);
      readBuses(buses);
      failures = 0;
    } catch (RuntimeException e) {
      if (failures++ % 30 == 0) { // once at first, then every 5 minutes while it lasts
        LOG.warn("cannot read backlog metrics (shown as NaN until it works): {}", e.toString());
      }
      values.replaceAll((k, v) -> Double.NaN);
    }
  }

  private void readTargets(Set<String> targets) {
    Map<String, String> byTopic = new HashMap<>();
    targets.forEach(t -> byTopic.put(Topics.targetTopic(t), t));
    Map<String, Long> lag = topics.consumerLag(Topics.DELIVERY_GROUP, byTopic.keySet());
    for (String target : targets) {
      Long backlog = lag.get(Topics.targetTopic(target));
      values.put(key("backlog", target), backlog == null ? Double.NaN : backlog);
      values.put(key("retries", target), (double) retries.countRetries(target));
      values.put(key("dead", target), (double) deadLetters.countDeadLetters(target));
    }
  }

  private void readBuses(Set<String> buses) {
    for (String bus : buses) {
      Long lag =
          topics
              .consumerLag(Topics.routerGroup(bus), List.of(Topics.busTopic(bus)))
              .get(Topics.busTopic(bus));
      values.put(key("router", bus), lag == null ? Double.NaN : lag);
    }
  }

  private void follow(
      Map<String, List<Meter>> gauges,
      Set<String> names,
      java.util.function.Function<String, List<Meter>> register) {
    for (String gone : new ArrayList<>(gauges.keySet())) {
      if (!names.contains(gone)) {
        gauges.remove(gone).forEach(metrics::remove);
        values.keySet().removeIf(k -> k.endsWith('\u0000' + gone));
      }
    }
    names.forEach(name -> gauges.computeIfAbsent(name, register));
  }

  private List<Meter> registerTarget(String target) {
    return List.of(
        gauge(
            "herald.target.backlog",
            "target",
            target,
            "backlog",
            "Records of the target's topic not delivered yet (the delivery consumers' lag)"),
        gauge(
            "herald.target.retries.scheduled",
            "target",
            target,
            "retries",
            "Deliveries waiting for a scheduled retry"),
        gauge(
            "herald.target.dead.letters",
            "target",
            target,
            "dead",
            "Dead letters the target holds now (its dead-letter queue's depth)"));
  }

  private List<Meter> registerBus(String bus) {
    return List.of(
        gauge(
            "herald.router.lag",
            "bus",
            bus,
            "router",
            "Events of the bus not routed yet (the router's consumer lag)"));
  }

  private Meter gauge(String name, String tag, String value, String kind, String description) {
    String key = key(kind, value);
    return Gauge.builder(name, values, v -> v.getOrDefault(key, Double.NaN))
        .description(description)
        .tag(tag, value)
        .register(metrics);
  }

  private static String key(String kind, String name) {
    return kind + '\u0000' + name;
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
