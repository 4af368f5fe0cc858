package dev.herald.engine.broker;

import java.net.BindException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one) running inside this JVM, on free
 * ports of 127.0.0.1, with its data under {@code <dataDir>/kafka}. Kafka's server internals, which
 * are not public APIs, stay inside this package: {@code KafkaRaftServer} here, {@code StorageTool}
 * in {@link BrokerDataDir}, {@code Exit} in {@link KafkaExitTrap}, the settings in {@link
 * BrokerProperties}; the broker tests are what a Kafka upgrade should break, not the product.
 *
 * <p>A fatal broker fault (Kafka calling {@code Exit.halt} or {@code Exit.exit}, see {@link
 * KafkaExitTrap}) is logged at ERROR, makes the engine unhealthy with the reason, and stops the
 * broker on a separate thread; the JVM keeps running so that Herald can report it and shut down in
 * order.
 *
 * <p>Thread-safety: {@link #start} builds the engine on the caller's thread and publishes it on
 * return. Afterwards any Kafka thread may report a fault (the first one is kept, in an atomic
 * reference) and any thread may call {@link #close}. The broker is stopped exactly once, by
 * whichever of {@code close} or the fault handler comes first; other callers wait on a latch.
 */
final class EmbeddedEngine implements Engine {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedEngine.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_WAIT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 5;

  private final EmbeddedConfig config;
  private final BrokerDataDir dir;
  private final BrokerDataDir.Lock lock;
  private final Time time;
  private final AtomicReference<String> fault = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile KafkaRaftServer server; // written by the starting thread only
  private volatile String bootstrap = "";
  private volatile java.util.Set<Integer> ports = java.util.Set.of();
  private volatile boolean running; // true from ready until close or fault

  private EmbeddedEngine(
      EmbeddedConfig config, BrokerDataDir dir, BrokerDataDir.Lock lock, Time time) {
    this.config = config;
    this.dir = dir;
    this.lock = lock;
    this.time = time;
  }

  static EmbeddedEngine start(EmbeddedConfig config) {
    return start(config, Time.SYSTEM);
  }

  static EmbeddedEngine start(EmbeddedConfig config, Time time) {
    long began = time.milliseconds();
    BrokerDataDir dir = BrokerDataDir.open(config.dataDir());
    BrokerDataDir.Lock lock = dir.lock();
    EmbeddedEngine engine = new EmbeddedEngine(config, dir, lock, time);
    boolean fresh = !dir.isFormatted();
    String clusterId;
    KafkaExitTrap.register(engine);
    try {
      clusterId = dir.clusterId();
      engine.startServer(clusterId);
      engine.awaitReady(began + READY_TIMEOUT.toMillis());
      dir.writeBootstrap(engine.bootstrap);
    } catch (RuntimeException e) {
      engine.stopOnce();
      KafkaExitTrap.unregister(engine);
      lock.close();
      throw e;
    }
    engine.running = true;
    if (engine.fault.get() != null) {
      engine.stopInBackground();
    }
    log.info(
        "Embedded Kafka broker ready at {} in {} ms (cluster id {}, {} storage in {}, fsync {})",
        engine.bootstrap,
        time.milliseconds() - began,
        clusterId,
        fresh ? "new" : "existing",
        dir.root(),
        config.fsync() ? "on" : "off");
    return engine;
  }

  /** Formats on first use, then starts the server, retrying on new ports when a port is taken. */
  private void startServer(String clusterId) {
    for (int attempt = 1; ; attempt++) {
      FreePorts.Pair ports = FreePorts.pick();
      Properties props =
          BrokerProperties.build(config, dir.logDir(), ports.broker(), ports.controller());
      if (!dir.isFormatted()) {
        dir.format(props, clusterId);
      }
      try {
        KafkaRaftServer candidate = new KafkaRaftServer(KafkaConfig.fromProps(props, false), time);
        server = candidate;
        candidate.startup();
        bootstrap = BrokerProperties.HOST + ":" + ports.broker();
        this.ports = java.util.Set.of(ports.broker(), ports.controller());
        return;
      } catch (Exception e) { // Scala code: checked exceptions may arrive undeclared
        shutDown(server);
        server = null;
        if (!isBindError(e) || attempt == START_ATTEMPTS) {
          throw new EngineStartException(
              "Cannot start the embedded Kafka broker in " + dir.logDir() + ": " + rootMessage(e),
              e);
        }
        log.warn("Port taken while starting the embedded Kafka broker, retrying: {}", e.toString());
      }
    }
  }

  /** Polls {@code describeCluster} until the broker answers, reports a fault, or time runs out. */
  private void awaitReady(long deadlineMillis) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "herald-embedded-ready");
    try (Admin admin = Admin.create(props)) {
      Throwable last = null;
      while (true) {
        String failure = fault.get();
        if (failure != null) {
          throw new EngineStartException("The embedded Kafka broker failed to start: " + failure);
        }
        long left = deadlineMillis - time.milliseconds();
        if (left <= 0) {
          throw new EngineStartException(
              "The embedded Kafka broker at %s (data in %s) did not answer within %d s: %s"
                  .formatted(bootstrap, dir.logDir(), READY_TIMEOUT.toSeconds(), last),
              last);
        }
        last = describeCluster(admin, (int) Math.min(left, 2_000));
        if (last == null) {
          return;
        }
        time.sleep(50);
      }
    }
  }

  /** Null when the broker answered with at least one node, else why not. */
  private static Throwable describeCluster(Admin admin, int timeoutMillis) {
    try {
      DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs(timeoutMillis);
      boolean answered = !admin.describeCluster(options).nodes().get().isEmpty();
      return answered ? null : new IllegalStateException("the cluster reports no broker yet");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineStartException("Interrupted while waiting for the embedded Kafka broker", e);
    }
  }

  /** Called by {@link KafkaExitTrap} on the thread where Kafka asked to end the JVM. */
  void onFatalExit(String kind, int status, String message) {
    String reason =
        "Kafka called Exit.%s(%d)%s on thread %s"
            .formatted(
                kind,
                status,
                message == null ? "" : ": " + message,
                Thread.currentThread().getName());
    if (!fault.compareAndSet(null, reason)) {
      log.error("Another fatal fault in the embedded Kafka broker (already unhealthy): {}", reason);
      return;
    }
    log.error(
        "Fatal fault in the embedded Kafka broker at {}; the engine is unhealthy and the broker"
            + " stops. {}",
        bootstrap,
        reason,
        new Throwable("Exit." + kind + " called here"));
    if (running) {
      stopInBackground();
    }
  }

  private void stopInBackground() {
    running = false;
    Thread.ofPlatform().name("herald-broker-fault-stop").daemon().start(this::stopOnce);
  }

  /** Shuts the broker down the first time; later callers wait (bounded) for that to finish. */
  private void stopOnce() {
    if (!stopping.compareAndSet(false, true)) {
      awaitStopped();
      return;
    }
    try {
      shutDown(server);
    } finally {
      stopped.countDown();
    }
  }

  private void awaitStopped() {
    try {
      if (!stopped.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("The embedded Kafka broker at {} did not stop within {}", bootstrap, STOP_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void shutDown(KafkaRaftServer server) {
    if (server == null) {
      return;
    }
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (Exception e) { // Scala code: checked exceptions may arrive undeclared
      log.warn("The embedded Kafka broker did not stop cleanly", e);
    }
  }

  @Override
  public void close() {
    boolean first = closed.compareAndSet(false, true);
    running = false;
    long began = time.milliseconds();
    stopOnce();
    if (first) {
      KafkaExitTrap.unregister(this);
      dir.deleteBootstrap();
      lock.close();
      log.info(
          "Embedded Kafka broker at {} stopped in {} ms", bootstrap, time.milliseconds() - began);
    }
  }

  @Override
  public java.util.Set<Integer> localPorts() {
    return ports;
  }

  @Override
  public String bootstrapServers() {
    return bootstrap;
  }

  @Override
  public boolean isHealthy() {
    return !closed.get() && fault.get() == null;
  }

  @Override
  public Optional<String> fault() {
    return Optional.ofNullable(fault.get());
  }

  @Override
  public int maxMessageBytes() {
    return config.messageMaxBytes();
  }

  private static boolean isBindError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("failed to bind"))) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    if (e.getCause() == null) {
      return e.toString();
    }
    Throwable root = e.getCause();
    while (root.getCause() != null) { // a Throwable that is its own cause answers null
      root = root.getCause();
    }
    return e + " (caused by " + root + ")";
  }

  @Override
  public String toString() {
    return "EmbeddedEngine[" + bootstrap + ", " + dir.root() + "]";
  }
}
