package dev.herald.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.analytics.AnalyticsStore;
import dev.herald.core.config.DesiredState;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.event.EntryValidator;
import dev.herald.core.secret.SecretBox;
import dev.herald.core.trace.Tracing;
import dev.herald.engine.broker.EmbeddedConfig;
import dev.herald.engine.broker.Engine;
import dev.herald.engine.bus.EventAppender;
import dev.herald.engine.bus.EventReader;
import dev.herald.engine.config.ConfigChange;
import dev.herald.engine.config.ConfigFeed;
import dev.herald.engine.delivery.DeliveryPool;
import dev.herald.engine.delivery.DeliverySettings;
import dev.herald.engine.delivery.TargetRuntime;
import dev.herald.engine.inspect.BusTaps;
import dev.herald.engine.inspect.DeliveryBacklog;
import dev.herald.engine.inspect.EventSearch;
import dev.herald.engine.replay.ReplayManager;
import dev.herald.engine.replay.ReplaySettings;
import dev.herald.engine.router.RouterSettings;
import dev.herald.engine.router.Routers;
import dev.herald.engine.topic.Topics;
import dev.herald.server.analytics.AnalyticsMetrics;
import dev.herald.server.analytics.AnalyticsSettings;
import dev.herald.server.analytics.StoreAnalyticsSink;
import dev.herald.server.audit.AuditVerifier;
import dev.herald.server.audit.StoreAuditLog;
import dev.herald.server.auth.AuthFilter;
import dev.herald.server.auth.KeyRing;
import dev.herald.server.auth.KeyService;
import dev.herald.server.auth.KeysApi;
import dev.herald.server.auth.Principal;
import dev.herald.server.aws.Arns;
import dev.herald.server.aws.AwsApi;
import dev.herald.server.aws.EventBridgeApi;
import dev.herald.server.aws.EventBridgeEvents;
import dev.herald.server.aws.EventBridgeTargets;
import dev.herald.server.aws.SqsApi;
import dev.herald.server.aws.SqsDeadLetterQueue;
import dev.herald.server.aws.SqsMoveTasks;
import dev.herald.server.config.ConfigApplier;
import dev.herald.server.config.ConfigLimitSettings;
import dev.herald.server.config.ConfigPlan;
import dev.herald.server.config.ConfigPlanner;
import dev.herald.server.config.ConfigService;
import dev.herald.server.config.RoutingTables;
import dev.herald.server.config.StoreRouteSink;
import dev.herald.server.delivery.DeadLetters;
import dev.herald.server.delivery.Envelopes;
import dev.herald.server.delivery.StoreLedger;
import dev.herald.server.http.AdminApi;
import dev.herald.server.http.AnalyticsApi;
import dev.herald.server.http.AuditApi;
import dev.herald.server.http.CloudEventsApi;
import dev.herald.server.http.ConfigPlanApi;
import dev.herald.server.http.ConsoleApi;
import dev.herald.server.http.DeadLetterApi;
import dev.herald.server.http.EventsApi;
import dev.herald.server.http.HttpServer;
import dev.herald.server.http.HttpSettings;
import dev.herald.server.http.QueueApi;
import dev.herald.server.http.ReplayApi;
import dev.herald.server.http.StatsApi;
import dev.herald.server.http.TailApi;
import dev.herald.server.http.TlsFiles;
import dev.herald.server.ingest.BusDirectory;
import dev.herald.server.ingest.IngestBusPublisher;
import dev.herald.server.ingest.IngestService;
import dev.herald.server.limits.RateLimitSettings;
import dev.herald.server.limits.RateLimits;
import dev.herald.server.ops.BacklogMetrics;
import dev.herald.server.ops.HealthMetrics;
import dev.herald.server.ops.LogFormat;
import dev.herald.server.ops.OpsApi;
import dev.herald.server.ops.Readiness;
import dev.herald.server.queue.Queues;
import dev.herald.server.replay.ReplaySettingsFromEnv;
import dev.herald.server.replay.Replays;
import dev.herald.server.trace.OtelTracing;
import dev.herald.store.JournalMaintenance;
import dev.herald.store.StateStore;
import dev.herald.store.StoreConfig;
import dev.herald.targets.AnalyticsSink;
import dev.herald.targets.AuditLog;
import dev.herald.targets.BusPublisher;
import dev.herald.targets.EgressProxy;
import dev.herald.targets.OutboundRules;
import dev.herald.targets.TargetContext;
import dev.herald.targets.TargetServices;
import dev.herald.targets.Targets;
import dev.herald.targets.queue.QueueSink;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: starts the engine and the state store, wires ingest and the HTTP API, and
 * stops everything in reverse order. {@link #start} returns once Herald accepts events.
 * Thread-safe: immutable after start; {@link #close} is idempotent and synchronized.
 */
public final class Herald implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Herald.class);

  /**
   * How long the journey of an event (its routing and journal entries) is kept: see {@link
   * JournalStore#maintainJournal} for how each store applies it. No setting yet.
   */
  static final Duration JOURNEY_RETENTION = Duration.ofDays(7);

  /** The broker limit Herald needs: the largest entry plus room for the record's framing. */
  static final int REQUIRED_MESSAGE_BYTES = IngestService.MAX_ENTRY_BYTES + 64 * 1024;

  private final HeraldConfig config;
  private final SecuritySettings security;
  private final Map<String, String> env;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private Engine engine;
  private HttpServer http;
  // Herald's own listening ports, never an outbound target: written while starting, read by
  // delivery threads through the outbound rules
  private final Set<Integer> ownPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private OutboundRules outbound;
  private Optional<EgressProxy> egressProxy = Optional.empty();
  private AnalyticsStore analytics; // opens on first use: an analytics target or query
  private AnalyticsSink analyticsSink;
  private RoutingTables routingTables; // set by startRouting, for replays
  private boolean closed;
  private ConfigPlanner planner; // herald.yaml: plan and apply
  private Tracing tracing = Tracing.OFF; // OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set

  private Herald(HeraldConfig config, SecuritySettings security, Map<String, String> env) {
    this.config = config;
    this.security = security;
    this.env = Map.copyOf(env);
  }

  /** Starts with the security settings of the environment (HERALD_BOOTSTRAP_KEY, ...). */
  public static Herald start(HeraldConfig config) {
    return start(config, System.getenv());
  }

  /**
   * Starts Herald with the settings of {@code env} that {@link HeraldConfig} does not hold
   * (security, HTTP limits, configuration caps, the analytics store's settings).
   */
  public static Herald start(HeraldConfig config, Map<String, String> env) {
    return start(config, SecuritySettings.fromEnv(env), env);
  }

  public static Herald start(HeraldConfig config, SecuritySettings security) {
    return start(config, security, System.getenv());
  }

  private static Herald start(
      HeraldConfig config, SecuritySettings security, Map<String, String> env) {
    Herald herald = new Herald(config, security, env);
    try {
      herald.startAll();
      return herald;
    } catch (RuntimeException e) {
      herald.close();
      throw e;
    }
  }

  private void startAll() {
    long started = System.nanoTime();
    boolean loopback = isLoopback(config.host());
    LogFormat.check(env);
    // bad allow-list entries stop the start, naming the entry
    outbound =
        OutboundRules.parse(loopback, env.getOrDefault("HERALD_OUTBOUND_ALLOW", ""), ownPorts);
    if (config.port() > 0) {
      ownPorts.add(config.port());
    }
    // a bad proxy setting stops the start, naming the setting (never its password)
    egressProxy = EgressProxy.fromEnv(env);
    egressProxy.ifPresent(p -> LOG.info("outbound HTTP of targets goes through {}", p));
    RateLimitSettings rateLimits = RateLimitSettings.of(env); // a bad value stops the start
    KafkaSettings kafka = KafkaSettings.of(config, env);
    if (rateLimits.any()) {
      LOG.info(
          "rate limits per second: per key {} {}, per bus {} {}, bursts of {} s",
          rateLimits.perKey().isPresent() ? rateLimits.perKey().getAsInt() : "none",
          rateLimits.keyOverrides(),
          rateLimits.perBus().isPresent() ? rateLimits.perBus().getAsInt() : "none",
          rateLimits.busOverrides(),
          rateLimits.burstSeconds());
    }
    createDataDir();
    // first opened, last closed: spans of the final deliveries are still exported
    tracing = OtelTracing.fromEnv(env);
    if (tracing instanceof OtelTracing otel) {
      open(otel);
    }
    InstantSource clock = InstantSource.system();
    String instanceId = UUID.randomUUID().toString();
    // the broker and the store start in parallel: together they are most of the start time
    CompletableFuture<Engine> engineStart =
        CompletableFuture.supplyAsync(
            this::startEngine, Executors.newVirtualThreadPerTaskExecutor());
    SecretBox secrets = SecretKeys.load(config);
    StateStore store =
        open(StateStore.open(new StoreConfig(config.dataDir(), config.storeUrl(), secrets)));
    AtomicReference<ConfigFeed> feedOnceStarted = new AtomicReference<>();
    KeyRing keyRing = new KeyRing(store.apiKeys(), clock);
    KeyService keys =
        new KeyService(
            store.apiKeys(),
            keyRing,
            change -> Optional.ofNullable(feedOnceStarted.get()).ifPresent(f -> f.publish(change)),
            clock,
            instanceId,
            new SecureRandom());
    keyRing.reload();
    security.bootstrapKey().ifPresent(keys::ensureBootstrap);
    requireKeysUnlessLoopback(loopback, keyRing.authOn());
    Optional<Duration> analyticsRetention = AnalyticsSettings.retention(env);
    analytics =
        open(
            AnalyticsStore.open(
                AnalyticsSettings.of(config.dataDir(), config.storeUrl(), env), clock));
    engine = open(join(engineStart));
    ownPorts.addAll(engine.localPorts());
    Topics topics =
        open(new Topics(engine.bootstrapServers(), engine.maxMessageBytes(), kafka.layout()));
    topics.ensureConfigChanges();
    store.ensureBus(EntryValidator.DEFAULT_BUS, "The default bus");
    BusDirectory buses = new BusDirectory(store, clock);

    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    bindJvmMetrics(metrics);
    AnalyticsMetrics.bind(analytics, metrics);
    EventAppender appender =
        open(
            new EventAppender(
                engine.bootstrapServers(), engine.maxMessageBytes(), kafka.ingestTimeout()));
    open(new KafkaClientMetrics(appender.producer())).bindTo(metrics);
    EventReader reader =
        open(new EventReader(engine.bootstrapServers(), engine.maxMessageBytes(), 4));
    IngestService ingest = new IngestService(appender, buses, store, clock, metrics, tracing);
    schedulePurge(ingest, store, analyticsRetention, clock);

    Queues queues =
        new Queues(store, store, clock, secrets, new Envelopes(buses, topics, reader)::of);
    TargetServices services =
        TargetServices.none()
            .with(QueueSink.class, queues)
            .with(BusPublisher.class, new IngestBusPublisher(ingest))
            .with(AuditLog.class, new StoreAuditLog(store, buses));
    Routing routing =
        startRouting(
            store, topics, buses, reader, clock, metrics, instanceId, services, keyRing, queues);
    feedOnceStarted.set(routing.feed());
    Replays replays = startReplays(store, topics, buses, clock, instanceId);
    EventSearch search =
        open(new EventSearch(engine.bootstrapServers(), engine.maxMessageBytes(), 2));
    DeliveryBacklog backlog = open(new DeliveryBacklog(engine.bootstrapServers()));
    RouterSettings envelopeSettings =
        RouterSettings.defaults(engine.bootstrapServers(), engine.maxMessageBytes());
    scheduleKeyUpkeep(keyRing);
    RateLimits limits = new RateLimits(rateLimits, clock, metrics);
    Readiness readiness =
        new Readiness(clock)
            .check("engine", () -> engineProblem(topics))
            .check(
                "store",
                () -> {
                  store.checkWritable();
                  return null;
                });
    HealthMetrics.bind(readiness, metrics);
    open(new BacklogMetrics(store, store, store, topics, metrics).start());
    planner = new ConfigPlanner(store, store.apiKeys(), routing.config(), keys);
    TailApi tails =
        new TailApi(
            buses,
            topics,
            // embedded, this instance routes every partition: tails tap the router
            config.kafkaBootstrap().isEmpty() ? Optional.of(routing.taps()) : Optional.empty(),
            engine.bootstrapServers(),
            engine.maxMessageBytes(),
            envelopeSettings.account(),
            envelopeSettings.region());
    FunctionCounter.builder("herald.tail.dropped", tails, TailApi::droppedCount)
        .description("live tails closed because their client did not read")
        .register(metrics);
    http =
        open(
            HttpServer.start(
                config.host(),
                config.port(),
                HttpSettings.of(env, loopback), // the Host guard while bound to loopback
                security
                    .tlsCert()
                    .map(cert -> TlsFiles.load(cert, security.tlsKey().orElseThrow())),
                new AuthFilter(keyRing, security.metricsPublic(), limits)::register,
                new KeysApi(keys, keyRing)::register,
                new EventsApi(
                        ingest,
                        reader,
                        topics,
                        buses,
                        store,
                        metrics,
                        limits,
                        search,
                        clock,
                        Optional.of(store.replays()))
                    ::register,
                new CloudEventsApi(ingest, buses, metrics, limits)::register,
                tails::register,
                new StatsApi(store, store, routing.liveState(), backlog, metrics, clock)::register,
                new ConsoleApi()::register,
                new AdminApi(routing.config(), store, routing.liveState())::register,
                new ConfigPlanApi(planner)::register,
                new DeadLetterApi(store, routing.deadLetters())::register,
                new ReplayApi(replays)::register,
                new AuditApi(store, new AuditVerifier(store))::register,
                new QueueApi(queues)::register,
                new AnalyticsApi(analytics, clock)::register,
                new OpsApi(readiness, metrics)::register,
                awsApi(keyRing, limits, clock, routing, store, ingest, queues, envelopeSettings)
                    ::register));
    ownPorts.add(http.port()); // an ephemeral port is known only now
    open(queues); // closed before HTTP stops: ends the long polls at once
    writeRuntimeFile();
    LOG.info(
        "Herald ready on {}://{}:{} ({} engine at {}, {} store) in {} ms",
        security.tls() ? "https" : "http",
        config.host(),
        http.port(),
        config.kafkaBootstrap().isPresent() ? "external" : "embedded",
        engine.bootstrapServers(),
        store.kind(),
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  /** What {@link #startRouting} builds for the HTTP APIs. */
  private record Routing(
      ConfigFeed feed,
      ConfigService config,
      DeadLetters deadLetters,
      Function<String, Optional<ObjectNode>> liveState,
      BusTaps taps) {}

  /**
   * Starts a router per bus, the delivery pool and the config change feed; returns what the admin
   * and dead-letter APIs need.
   */
  private Routing startRouting(
      StateStore store,
      Topics topics,
      BusDirectory buses,
      EventReader reader,
      InstantSource clock,
      PrometheusMeterRegistry metrics,
      String instanceId,
      TargetServices services,
      KeyRing keyRing,
      Queues queues) {
    RoutingTables tables = new RoutingTables(store);
    routingTables = tables;
    Routers routers =
        open(
            Routers.create(
                RouterSettings.defaults(engine.bootstrapServers(), engine.maxMessageBytes()),
                tables::get,
                new StoreRouteSink(store),
                clock,
                metrics,
                tracing));
    AtomicReference<ConfigService> config = new AtomicReference<>();
    Envelopes envelopes = new Envelopes(buses, topics, reader);
    analyticsSink = new StoreAnalyticsSink(analytics, buses, envelopes::of, clock);
    // function targets load their jars from <data-dir>/plugins
    TargetContext context =
        new TargetContext(
            clock,
            outbound,
            this.config.dataDir().resolve("plugins"),
            services.with(AnalyticsSink.class, analyticsSink),
            egressProxy);
    Function<TargetSpec, TargetRuntime> runtimes =
        spec -> new TargetRuntime(spec, Targets.createOrUnavailable(spec, context), clock);
    DeliveryPool delivery =
        open(
            new DeliveryPool(
                DeliverySettings.defaults(engine.bootstrapServers(), engine.maxMessageBytes()),
                new StoreLedger(store, store, envelopes::of, instanceId),
                name -> store.target(name).map(t -> runtimes.apply(t.spec())),
                clock,
                RandomGenerator.getDefault(),
                metrics,
                name -> config.get().disableTarget(name),
                tracing));
    ConfigApplier applier =
        new ConfigApplier(
            store,
            buses,
            tables,
            topics,
            routers,
            delivery,
            runtimes,
            clock,
            instanceId,
            metrics,
            queues::targetChanged);
    applier.applyAll();
    ConfigFeed feed =
        open(
            new ConfigFeed(
                engine.bootstrapServers(),
                instanceId,
                change -> {
                  if (change.kind() == ConfigChange.Kind.KEY) {
                    keyRing.reload();
                  } else {
                    applier.apply(change);
                  }
                }));
    config.set(
        new ConfigService(
            store,
            feed,
            applier,
            clock,
            instanceId,
            spec -> Targets.create(spec, context).close(),
            ConfigLimitSettings.of(env)));
    delivery.start();
    return new Routing(
        feed,
        config.get(),
        new DeadLetters(store, store, buses, tables, clock),
        name -> delivery.current(name).map(Herald::liveState),
        routers.taps());
  }

  /** Replays of the buses' archives; the running ones resume now (API.md, docs/architecture.md). */
  private Replays startReplays(
      StateStore store, Topics topics, BusDirectory buses, InstantSource clock, String instanceId) {
    ReplaySettings settings =
        ReplaySettingsFromEnv.of(env, engine.bootstrapServers(), engine.maxMessageBytes());
    RoutingTables tables = routingTables;
    return open(new Replays(
            store.replays(),
            store,
            buses,
            ledger ->
                new ReplayManager(
                    settings, tables::get, ReplayManager.deliveryBacklog(topics), ledger, clock),
            clock,
            instanceId))
        .start();
  }

  /** The AWS JSON protocol on the same port: EventBridge and SQS over the same services. */
  private AwsApi awsApi(
      KeyRing keyRing,
      RateLimits limits,
      InstantSource clock,
      Routing routing,
      StateStore store,
      IngestService ingest,
      Queues queues,
      RouterSettings envelopeSettings) {
    Arns arns = new Arns(envelopeSettings.account(), envelopeSettings.region());
    EventBridgeApi events =
        new EventBridgeApi(
            routing.config(),
            store,
            new EventBridgeTargets(routing.config(), store, arns),
            new EventBridgeEvents(ingest, arns),
            arns);
    SqsDeadLetterQueue deadLetterQueues = new SqsDeadLetterQueue(store, store, store, clock);
    SqsApi sqs =
        new SqsApi(
            queues,
            store,
            deadLetterQueues,
            open(new SqsMoveTasks(store, routing.deadLetters(), deadLetterQueues, clock, arns)),
            arns,
            security.tls());
    return new AwsApi(keyRing, limits, clock, events, sqs);
  }

  /** A target's delivery state on this instance, for its GET. */
  private static ObjectNode liveState(TargetRuntime runtime) {
    ObjectNode state = dev.herald.core.json.Json.object();
    state.put("enabled", runtime.enabled());
    state.put("circuit", runtime.circuitState());
    state.put("inFlight", runtime.inFlight());
    state.put("concurrencyLimit", runtime.concurrencyLimit());
    return state;
  }

  private Engine startEngine() {
    return config
        .kafkaBootstrap()
        .map(bootstrap -> Engine.external(bootstrap, REQUIRED_MESSAGE_BYTES))
        .orElseGet(
            () ->
                Engine.embedded(
                    new EmbeddedConfig(
                        config.dataDir(), config.fsync(), REQUIRED_MESSAGE_BYTES + 1024 * 1024)));
  }

  private String engineProblem(Topics topics) {
    if (!engine.isHealthy()) {
      return "engine unhealthy: " + engine.fault().orElse("unknown fault");
    }
    return topics.reachable(Duration.ofMillis(800)) ? null : "engine not reachable";
  }

  /**
   * Every minute: drop client ids past the dedupe window, journeys and the delivery keys queues
   * took past their retention, and analytics rows past theirs when one is set.
   */
  private void schedulePurge(
      IngestService ingest,
      StateStore store,
      Optional<Duration> analyticsRetention,
      InstantSource clock) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("herald-purge").daemon().factory());
    resources.push(scheduler::shutdownNow);
    var unused = // runs until the scheduler is shut down; each run catches its own failures
        scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                int clientIds = ingest.purgeExpiredClientIds();
                Instant now = clock.instant();
                JournalMaintenance journeys = store.maintainJournal(now, JOURNEY_RETENTION);
                store.purgeQueueDeliveryKeysBefore(now.minus(JOURNEY_RETENTION));
                store.replays().purgeReplayDeliveriesBefore(now.minus(JOURNEY_RETENTION));
                LOG.debug("purged {} expired client ids; journeys: {}", clientIds, journeys);
              } catch (RuntimeException e) {
                LOG.warn("cannot purge expired state: {}", e.toString());
              }
              analyticsRetention.ifPresent(keep -> purgeAnalytics(clock.instant().minus(keep)));
            },
            1,
            1,
            TimeUnit.MINUTES);
  }

  private void purgeAnalytics(Instant cutoff) {
    try {
      long rows = analytics.purgeBefore(cutoff);
      if (rows > 0) {
        LOG.info("purged {} analytics rows ingested before {}", rows, cutoff);
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot purge the analytics store: {}", e.toString());
    }
  }

  private static void bindJvmMetrics(PrometheusMeterRegistry metrics) {
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    new UptimeMetrics().bindTo(metrics);
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("host '" + host + "' does not resolve", e);
    }
  }

  /**
   * Without an admin key Herald serves only this machine, with auth off and a warning; beyond
   * loopback it refuses to start.
   */
  private void requireKeysUnlessLoopback(boolean loopback, boolean authOn) {
    if (authOn) {
      return;
    }
    if (!loopback) {
      throw new IllegalArgumentException(
          "refusing to bind "
              + config.host()
              + " without an admin API key: set "
              + SecuritySettings.BOOTSTRAP_KEY
              + "=<id>.<secret> (or create an admin key while bound to 127.0.0.1)");
    }
    LOG.warn(
        "auth is off: no admin API key exists, so every request to {} is trusted; create one"
            + " (POST /v1/keys with the scope admin) or set {}",
        config.host(),
        SecuritySettings.BOOTSTRAP_KEY);
  }

  /**
   * Every 10 s: writes the recorded last uses of API keys, and reloads the keys (a safety net
   * behind the change feed, which propagates revocations at once).
   */
  private void scheduleKeyUpkeep(KeyRing keyRing) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("herald-keys").daemon().factory());
    resources.push(keyRing::flushUse); // after the scheduler stopped, before the store closes
    resources.push(scheduler::shutdownNow);
    var unused = // runs until the scheduler is shut down; each run catches its own failures
        scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                keyRing.flushUse();
                keyRing.reload();
              } catch (RuntimeException e) {
                LOG.warn("cannot refresh the API keys: {}", e.toString());
              }
            },
            10,
            10,
            TimeUnit.SECONDS);
  }

  private void createDataDir() {
    try {
      DataDirs.secure(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data dir " + config.dataDir(), e);
    }
  }

  /** Writes {@code runtime.properties} to the data dir for tools (benchmarks, scripts). */
  private void writeRuntimeFile() {
    Path file = config.dataDir().resolve("runtime.properties");
    String text =
        "http.url="
            + (security.tls() ? "https" : "http")
            + "://"
            + config.host()
            + ":"
            + http.port()
            + "\nkafka.bootstrap="
            + engine.bootstrapServers()
            + "\npid="
            + ProcessHandle.current().pid()
            + "\n";
    try {
      Path tmp = DataDirs.writeOwnerOnly(file.resolveSibling("runtime.properties.tmp"), text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot write {}: {}", file, e.toString());
    }
  }

  private <T extends AutoCloseable> T open(T resource) {
    resources.push(resource);
    return resource;
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  public int port() {
    return http.port();
  }

  /** The planner of configuration as code (tests inject faults into it). */
  ConfigPlanner configPlanner() {
    return planner;
  }

  /**
   * Applies a desired state (herald.yaml at start, {@code herald serve --config}): creates and
   * updates, never deletes. Changes are recorded as made by {@value Principal#HERALD}.
   */
  public ConfigPlan applyConfig(DesiredState desired) {
    DesiredState withoutPrune =
        new DesiredState(
            desired.buses(), desired.targets(), desired.rules(), desired.keys(), false);
    Principal herald =
        new Principal(Optional.of(Principal.HERALD), List.of(dev.herald.core.auth.Scope.ADMIN));
    return planner.apply(withoutPrune, herald).plan();
  }

  public String kafkaBootstrap() {
    return engine.bootstrapServers();
  }

  public HeraldConfig config() {
    return config;
  }

  /** The tracing this instance runs with ({@link Tracing#OFF} unless an OTLP endpoint is set). */
  Tracing tracing() {
    return tracing;
  }

  /** What analytics targets write to (tests deliver to it directly). */
  AnalyticsSink analyticsSink() {
    return analyticsSink;
  }

  /** Stops HTTP first (no new events), then ingest's producer, the store and the engine. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!resources.isEmpty()) {
      AutoCloseable resource = resources.pop();
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("error while stopping {}: {}", resource.getClass().getSimpleName(), e.toString());
      }
    }
    LOG.info("Herald stopped");
  }
}
