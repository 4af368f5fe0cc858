package dev.herald.server.config;

import dev.herald.core.config.TargetSpec;
import dev.herald.engine.config.ConfigChange;
import dev.herald.engine.delivery.DeliveryPool;
import dev.herald.engine.delivery.TargetRuntime;
import dev.herald.engine.router.Routers;
import dev.herald.engine.topic.Topics;
import dev.herald.server.ingest.BusDirectory;
import dev.herald.store.Bus;
import dev.herald.store.ConfigStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a configuration change on this instance: reloads what changed from the store, creates
 * topics, starts or stops routers. Every step is idempotent, so a change applied locally and then
 * seen again on the feed does no harm. Thread-safe: synchronized (changes are rare).
 */
public final class ConfigApplier {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigApplier.class);

  /** Target topics keep records this long beyond the target's maximum event age. */
  static final Duration TARGET_RETENTION_MARGIN = Duration.ofDays(1);

  private final ConfigStore store;
  private final BusDirectory buses;
  private final RoutingTables tables;
  private final Topics topics;
  private final Routers routers;
  private final DeliveryPool delivery;
  private final Function<TargetSpec, TargetRuntime> runtimes;
  private final InstantSource clock;
  private final String instanceId;
  private final Timer propagation;
  private final Consumer<String> targetChanged;

  /**
   * @param targetChanged told the name of every target a change creates, changes or deletes, before
   *     the change is applied here (what keeps targets' settings in memory forgets them)
   */
  public ConfigApplier(
      ConfigStore store,
      BusDirectory buses,
      RoutingTables tables,
      Topics topics,
      Routers routers,
      DeliveryPool delivery,
      Function<TargetSpec, TargetRuntime> runtimes,
      InstantSource clock,
      String instanceId,
      MeterRegistry metrics,
      Consumer<String> targetChanged) {
    this.store = store;
    this.buses = buses;
    this.tables = tables;
    this.topics = topics;
    this.routers = routers;
    this.delivery = delivery;
    this.runtimes = runtimes;
    this.clock = clock;
    this.instanceId = instanceId;
    this.targetChanged = targetChanged;
    this.propagation =
        Timer.builder("herald.config.propagation")
            .description("From a change on another instance to its application here")
            .publishPercentileHistogram()
            .register(metrics);
  }

  /** Brings up everything the stored configuration needs (at start). */
  public synchronized void applyAll() {
    buses.reload();
    store.targets().forEach(t -> applyTarget(t.spec()));
    for (Bus bus : store.buses()) {
      startBus(bus);
    }
  }

  public synchronized void apply(ConfigChange change) {
    switch (change.kind()) {
      case BUS -> applyBus(change);
      case RULE -> tables.reload(change.bus().orElseThrow());
      case TARGET -> {
        targetChanged.accept(change.name());
        var target = store.target(change.name());
        if (target.isPresent()) {
          applyTarget(target.get().spec());
        } else {
          delivery.remove(change.name());
        }
      }
      case KEY -> {} // API keys: Herald hands these notices to the KeyRing
    }
    if (!change.origin().equals(instanceId)) {
      propagation.record(Duration.ofMillis(Math.max(0, clock.millis() - change.changedAtMillis())));
      LOG.info("applied {} v{} from instance {}", change.key(), change.version(), change.origin());
    }
  }

  private void applyBus(ConfigChange change) {
    buses.reload();
    if (change.deleted()) {
      routers.stop(change.name());
      tables.remove(change.name());
      return;
    }
    store.bus(change.name()).ifPresent(this::startBus);
  }

  private void startBus(Bus bus) {
    topics.ensureBus(bus.name(), bus.archiveRetentionDays());
    tables.reload(bus.name());
    routers.ensure(bus.name(), bus.ordinal());
  }

  /** Creates the target's topic and (re)builds its delivery runtime from the stored spec. */
  private void applyTarget(TargetSpec target) {
    ensureTargetTopic(target);
    if (delivery.current(target.name()).map(rt -> rt.spec().equals(target)).orElse(false)) {
      return; // this change was applied already (locally, then seen again on the feed)
    }
    try {
      delivery.put(runtimes.apply(target));
    } catch (RuntimeException e) {
      LOG.error("target {} cannot deliver: {}", target.name(), e.toString());
    }
  }

  private void ensureTargetTopic(TargetSpec target) {
    topics.ensureTarget(
        target.name(),
        Duration.ofSeconds(target.retry().maxEventAgeSeconds()).plus(TARGET_RETENTION_MARGIN));
  }
}
