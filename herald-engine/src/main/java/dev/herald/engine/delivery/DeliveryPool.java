package dev.herald.engine.delivery;

import dev.herald.core.delivery.CircuitBreaker;
import dev.herald.core.trace.Tracing;
import dev.herald.engine.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery half of the data path: a few shared consumers read every target topic, each record
 * is delivered on a virtual thread under its target's policies, and a scheduler hands due retries
 * back to the same code. So a slow or failing target only ever holds its own records (its
 * partitions pause when too many of them are in flight) and never a consumer or another target.
 *
 * <p>Stages, each with a step that tests drive: {@link DeliveryConsumer} (poll, dispatch, commit;
 * offsets through {@link PartitionTracker}), {@link KeySequencer} (an ordered target's keys),
 * {@link Deliverer} (one attempt), {@link ResultRecorder} (group commit of results) and {@link
 * RetryScheduler} (due retries).
 *
 * <p>Threads: {@link DeliveryConsumer} threads own the Kafka consumers; one platform thread runs
 * the retry scheduler; attempts run on virtual threads. Targets live in a concurrent map.
 */
public final class DeliveryPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryPool.class);
  static final String TOPIC_PREFIX = Topics.targetTopic("");

  private final DeliverySettings settings;
  private final DeliveryLedger ledger;
  private final InstantSource clock;
  private final Function<String, Optional<TargetRuntime>> loader;
  private final Map<String, TargetRuntime> targets = new ConcurrentHashMap<>();
  private final PartitionShares shares = new PartitionShares();
  private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();
  private final KeySequencer ordered = new KeySequencer(attempts);
  private final Deliverer deliverer;
  private final MeterRegistry metrics;
  private final List<DeliveryConsumer> consumers = new CopyOnWriteArrayList<>();
  private final Map<String, List<Meter>> gauges = new ConcurrentHashMap<>();

  /** Per target, the meters of its results, made at its first result. */
  private final Map<String, TargetMeters> targetMeters = new ConcurrentHashMap<>();

  private final FailureLog failureLog;
  private final ScheduledExecutorService logFlusher =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("herald-delivery-log").daemon().factory());

  private final ResultRecorder recorder;
  private final CallCounts calls = new CallCounts();
  private final InProgress inProgress = new InProgress();
  private final Counter joined;
  private volatile boolean running = true;
  private final RetryScheduler scheduler;

  /**
   * @param loader builds the runtime of a target this instance does not know yet (empty when the
   *     target does not exist)
   * @param onGone called when a target answers 410 and is disabled
   */
  public DeliveryPool(
      DeliverySettings settings,
      DeliveryLedger ledger,
      Function<String, Optional<TargetRuntime>> loader,
      InstantSource clock,
      RandomGenerator random,
      MeterRegistry metrics,
      Consumer<String> onGone) {
    this(settings, ledger, loader, clock, random, metrics, onGone, Tracing.OFF);
  }

  /** As above, with a span around each attempt ({@code tracing}: {@link Tracing#OFF} for none). */
  public DeliveryPool(
      DeliverySettings settings,
      DeliveryLedger ledger,
      Function<String, Optional<TargetRuntime>> loader,
      InstantSource clock,
      RandomGenerator random,
      MeterRegistry metrics,
      Consumer<String> onGone,
      Tracing tracing) {
    this.settings = settings;
    this.ledger = ledger;
    this.loader = loader;
    this.clock = clock;
    this.metrics = metrics;
    this.deliverer = new Deliverer(clock, random, onGone, calls, this::timeAttempt, tracing);
    this.failureLog = new FailureLog(clock);
    this.recorder = new ResultRecorder(ledger, calls);
    this.scheduler =
        new RetryScheduler(
            ledger,
            clock,
            targets::values,
            this::target,
            new RetryScheduler.Sink() {
              @Override
              public void submit(Work work, TargetRuntime target) {
                DeliveryPool.this.submit(work, target, () -> {});
              }

              @Override
              public void record(AttemptResult result) throws InterruptedException {
                DeliveryPool.this.record(result);
              }
            });
    this.joined =
        Counter.builder("herald.delivery.joined")
            .description("records of a delivery already in progress, not invoked again")
            .register(metrics);
    Gauge.builder("herald.delivery.in.flight", calls, CallCounts::inFlight)
        .description("calls to targets in progress on this instance")
        .register(metrics);
    Gauge.builder("herald.delivery.unrecorded", calls, CallCounts::unrecorded)
        .description("attempts whose call returned and whose result is not durable yet")
        .register(metrics);
  }

  public void start() {
    startRecorder();
    for (int i = 0; i < settings.consumers(); i++) {
      DeliveryConsumer consumer =
          new DeliveryConsumer(this, settings, DeliveryConsumer.kafkaConsumer(settings, i), i);
      consumers.add(consumer);
      consumer.start();
    }
    scheduler.start();
    var unused = // runs until close() shuts the executor down; flush() does not throw
        logFlusher.scheduleWithFixedDelay(failureLog::flush, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Starts recording results. {@link #start} calls it; a test that steps a {@link DeliveryConsumer}
   * of its own calls it alone.
   */
  void startRecorder() {
    recorder.start();
  }

  /**
   * Installs (or replaces) a target's runtime; the replaced one is closed. A new target's topic
   * must exist already: the consumers look for it at once.
   */
  public void put(TargetRuntime runtime) {
    runtime.share(shares.share(runtime.name()));
    TargetRuntime old = targets.put(runtime.name(), runtime);
    if (old != null) {
      closeQuietly(old);
    } else {
      consumers.forEach(DeliveryConsumer::refreshTopics);
    }
    registerGauges(runtime.name());
  }

  public void remove(String target) {
    TargetRuntime old = targets.remove(target);
    if (old != null) {
      closeQuietly(old);
    }
    List<Meter> meters = gauges.remove(target);
    if (meters != null) {
      meters.forEach(metrics::remove);
    }
    TargetMeters results = targetMeters.remove(target);
    if (results != null) {
      results.all().forEach(metrics::remove);
    }
  }

  /**
   * The live state of a target as gauges: circuit (0 closed, 1 half-open, 2 open), enabled,
   * in-flight calls and the adaptive concurrency limit. They read whichever runtime is current.
   */
  private void registerGauges(String name) {
    gauges.computeIfAbsent(
        name,
        n ->
            List.of(
                gauge("herald.target.circuit.state", n, rt -> circuitValue(rt.circuit().state())),
                gauge("herald.target.enabled", n, rt -> rt.enabled() ? 1 : 0),
                gauge("herald.target.in.flight", n, TargetRuntime::inFlight),
                gauge("herald.target.concurrency.limit", n, TargetRuntime::concurrencyLimit)));
  }

  private Meter gauge(
      String metric, String name, java.util.function.ToIntFunction<TargetRuntime> f) {
    return Gauge.builder(
            metric,
            targets,
            map -> {
              TargetRuntime runtime = map.get(name);
              return runtime == null ? Double.NaN : f.applyAsInt(runtime);
            })
        .tag("target", name)
        .register(metrics);
  }

  private static int circuitValue(CircuitBreaker.State state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  /** A consumer of this instance was assigned target partitions; {@code partitionsOf} counts. */
  void assigned(
      Collection<TopicPartition> partitions,
      java.util.function.ToIntFunction<String> partitionsOf) {
    reshare(shares.assigned(partitions, partitionsOf));
  }

  /** A consumer of this instance gave up target partitions (revoked or lost). */
  void removed(Collection<TopicPartition> partitions) {
    reshare(shares.removed(partitions));
  }

  private void reshare(java.util.Set<String> changed) {
    for (String name : changed) {
      TargetRuntime runtime = targets.get(name);
      if (runtime != null) {
        runtime.share(shares.share(name));
      }
    }
  }

  /** The runtime of a target this instance runs now, without loading it. */
  public Optional<TargetRuntime> current(String name) {
    return Optional.ofNullable(targets.get(name));
  }

  /** The runtime of a target, loaded from its stored spec when this instance does not know it. */
  public Optional<TargetRuntime> target(String name) {
    TargetRuntime known = targets.get(name);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<TargetRuntime> loaded = load(name);
    loaded.ifPresent(
        rt -> {
          rt.share(shares.share(name));
          if (targets.putIfAbsent(name, rt) == null) {
            registerGauges(name);
          } else {
            closeQuietly(rt); // another thread loaded it first
          }
        });
    return Optional.ofNullable(targets.get(name));
  }

  /**
   * Loads a target, waiting while it cannot be read (the store is down): its records must not be
   * skipped, and the consumer thread that asks must not die.
   */
  private Optional<TargetRuntime> load(String name) {
    for (int failures = 1; ; failures++) {
      try {
        return loader.apply(name);
      } catch (RuntimeException e) {
        if (!running) {
          throw e;
        }
        if (failures == 1 || failures % 60 == 0) {
          LOG.error("cannot load target {} (its deliveries wait): {}", name, e.toString());
        }
        sleepQuietly(Duration.ofSeconds(1));
      }
    }
  }

  /**
   * Delivers {@code work} on a virtual thread; {@code done} runs once the outcome is recorded. An
   * ordered target's deliveries of one key run one at a time, in order, retrying in place. A first
   * attempt whose delivery is already in progress here (a record routed twice, a partition handed
   * over) joins it instead ({@link InProgress}).
   */
  void submit(Work work, TargetRuntime target, Runnable done) {
    if (!work.fromRetry()) {
      switch (inProgress.begin(new InProgress.Copy(work, target, done))) {
        case ATTEMPT -> {}
        case JOINED -> {
          joined.increment();
          return; // done when the delivery in progress is recorded
        }
        case RECORDED -> {
          attempts.execute(() -> lookUpAgain(work, target, done));
          return;
        }
      }
    }
    if (target.spec().ordered() && !work.fromRetry()) {
      ordered.submit(target.name() + "/" + work.orderKey(), () -> run(work, target, done));
    } else {
      attempts.execute(() -> run(work, target, done));
    }
  }

  /**
   * A record of a delivery recorded moments ago: the consumer's journal lookup for its batch may
   * have come before that record, so the journal is asked again. Delivered: skipped as a duplicate;
   * otherwise (retrying, dead-lettered, or forgotten) it is attempted as before.
   */
  private void lookUpAgain(Work work, TargetRuntime target, Runnable done) {
    boolean delivered;
    try {
      delivered = ledger.delivered(List.of(work.deliveryKey())).contains(work.deliveryKey());
    } catch (RuntimeException e) {
      delivered = false; // attempting again is safe; skipping without knowing is not
    }
    if (delivered) {
      joined.increment();
      skip(new AttemptResult.SkippedDuplicate(work, clock.instant()), done);
    } else {
      inProgress.forget(work.deliveryKey());
      submit(work, target, done);
    }
  }

  /** Records a delivery not invoked again (journaled as delivered), then runs {@code done}. */
  void skip(AttemptResult.SkippedDuplicate skipped, Runnable done) {
    attempts.execute(
        () -> {
          try {
            record(skipped);
          } catch (InterruptedException e) {
            return; // closing: not recorded, so not committed
          } catch (RuntimeException e) {
            LOG.error(
                "cannot record skipped delivery {}: {}",
                skipped.work().deliveryKey(),
                e.toString());
            return;
          }
          done.run();
        });
  }

  private void run(Work work, TargetRuntime target, Runnable done) {
    boolean recorded = false;
    DeliveryMdc.put(work);
    try {
      AttemptResult result = deliverer.attempt(work, target);
      while (result instanceof AttemptResult.Retrying retry && retry.inPlace()) {
        recordAttempt(result);
        sleepUntil(retry.due());
        Work next = retry.work().nextAttempt();
        DeliveryMdc.put(next);
        result = deliverer.attempt(next, target);
      }
      recordAttempt(result);
      recorded = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // closing: not recorded, so not committed; delivered again after a restart
    } catch (RuntimeException e) {
      LOG.error(
          "delivery {} to {} failed to record: {}",
          work.deliveryKey(),
          target.name(),
          e.toString(),
          e);
    } finally {
      if (!work.fromRetry()) {
        endInProgress(work.deliveryKey(), recorded);
      }
      DeliveryMdc.clear();
    }
    if (recorded) {
      done.run();
    }
  }

  /**
   * The copies that joined a delivery are done with it, or, when it was not recorded, its heirs.
   */
  private void endInProgress(String deliveryKey, boolean recorded) {
    for (InProgress.Copy copy : inProgress.end(deliveryKey, recorded)) {
      if (recorded) {
        copy.done().run();
      } else if (running) {
        submit(copy.work(), copy.target(), copy.done());
      }
    }
  }

  private void sleepUntil(Instant due) throws InterruptedException {
    Duration wait = Duration.between(clock.instant(), due);
    if (!wait.isNegative()) {
      Thread.sleep(wait);
    }
  }

  /**
   * Records the result of an attempt {@link Deliverer} returned: counted in {@link CallCounts}
   * until its write ends.
   */
  private void recordAttempt(AttemptResult result) throws InterruptedException {
    record(result, true);
  }

  /** Records a result (in a batch with others); the caller commits offsets after this returns. */
  void record(AttemptResult result) throws InterruptedException {
    record(result, false);
  }

  /**
   * Records a result, then counts it, times an event's way to delivered, and logs a failure or a
   * dead letter (rate-limited, {@link FailureLog}).
   */
  private void record(AttemptResult result, boolean counted) throws InterruptedException {
    recorder.record(result, counted);
    TargetMeters meters = meters(result.work().target());
    meters.results()[TargetMeters.kindIndex(result)].increment();
    switch (result) {
      case AttemptResult.Delivered d ->
          meters.endToEnd().record(Duration.between(d.work().ingestedAt(), d.at()));
      case AttemptResult.Retrying r -> failureLog.failed(r);
      case AttemptResult.DeadLettered d -> failureLog.deadLettered(d);
      case AttemptResult.SkippedDuplicate s -> {}
    }
  }

  /** Times one call to a target (whatever it answered). */
  private void timeAttempt(String target, long nanos) {
    meters(target).attemptLatency().record(nanos, TimeUnit.NANOSECONDS);
  }

  private TargetMeters meters(String target) {
    TargetMeters known = targetMeters.get(target);
    return known != null
        ? known
        : targetMeters.computeIfAbsent(target, t -> TargetMeters.register(metrics, t));
  }

  DeliveryLedger ledger() {
    return ledger;
  }

  InstantSource clock() {
    return clock;
  }

  static String targetOf(String topic) {
    return topic.substring(TOPIC_PREFIX.length());
  }

  private static void sleepQuietly(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(TargetRuntime runtime) {
    try {
      runtime.close();
    } catch (Exception e) {
      LOG.warn("closing target {}: {}", runtime.name(), e.toString());
    }
  }

  @Override
  public void close() {
    running = false;
    consumers.forEach(DeliveryConsumer::close);
    scheduler.close();
    attempts.shutdownNow();
    recorder.close();
    logFlusher.shutdownNow();
    failureLog.flush();
    targets.values().forEach(DeliveryPool::closeQuietly);
  }
}
