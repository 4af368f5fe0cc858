package dev.herald.engine.broker;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An external Kafka cluster: checked once at start (reachable, {@code message.max.bytes} high
 * enough), then only an address. Herald's clients connect to it themselves.
 *
 * <p>Thread-safety: immutable except the closed flag, which is atomic.
 */
final class ExternalEngine implements Engine {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final String BOOTSTRAP_VARIABLE = "HERALD_KAFKA_BOOTSTRAP";
  private static final Logger log = LoggerFactory.getLogger(ExternalEngine.class);
  private static final String MESSAGE_MAX_BYTES = "message.max.bytes";

  private final String bootstrap;
  private final int maxMessageBytes;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ExternalEngine(String bootstrap, int maxMessageBytes) {
    this.bootstrap = bootstrap;
    this.maxMessageBytes = maxMessageBytes;
  }

  static ExternalEngine connect(String bootstrap, int requiredMessageBytes, Duration timeout) {
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new EngineStartException(
          BOOTSTRAP_VARIABLE + " is empty: set it to the Kafka cluster's host:port[,host:port...]");
    }
    if (requiredMessageBytes <= 0) {
      throw new IllegalArgumentException(
          "requiredMessageBytes must be positive, was " + requiredMessageBytes);
    }
    String address = bootstrap.strip();
    try (Admin admin = Admin.create(adminProperties(address, timeout))) {
      Collection<Node> brokers = describeCluster(admin, address, timeout);
      int limit = lowestMessageMaxBytes(admin, address, brokers, requiredMessageBytes, timeout);
      log.info(
          "Kafka cluster at {} reachable: {} broker(s), message.max.bytes {}",
          address,
          brokers.size(),
          limit);
      return new ExternalEngine(address, limit);
    } catch (EngineStartException e) {
      throw e;
    } catch (RuntimeException e) { // bad address syntax, unresolvable host
      throw unreachable(address, timeout, e);
    }
  }

  private static Properties adminProperties(String address, Duration timeout) {
    Properties props = new Properties();
    int millis = Math.toIntExact(timeout.toMillis());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "herald-engine-check");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    return props;
  }

  private static Collection<Node> describeCluster(Admin admin, String address, Duration timeout) {
    int millis = Math.toIntExact(timeout.toMillis());
    Collection<Node> brokers =
        await(
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).nodes(),
            timeout,
            cause -> unreachable(address, timeout, cause));
    if (brokers.isEmpty()) {
      throw new EngineStartException(
          "The Kafka cluster at " + address + " reports no brokers; check " + BOOTSTRAP_VARIABLE);
    }
    return brokers;
  }

  /** The lowest {@code message.max.bytes} among the brokers; fails if below {@code required}. */
  private static int lowestMessageMaxBytes(
      Admin admin, String address, Collection<Node> brokers, int required, Duration timeout) {
    int lowest = Integer.MAX_VALUE;
    for (Map.Entry<ConfigResource, Config> entry :
        describeBrokers(admin, address, brokers, timeout).entrySet()) {
      String broker = entry.getKey().name();
      int value = messageMaxBytes(address, broker, entry.getValue());
      if (value < required) {
        throw new EngineStartException(
            ("Kafka broker %s at %s has message.max.bytes=%d, below the %d bytes Herald needs for"
                    + " its largest record. Set message.max.bytes to at least %d on every broker"
                    + " (in the broker configuration, or kafka-configs --alter --entity-type"
                    + " brokers --entity-default --add-config message.max.bytes=%d).")
                .formatted(broker, address, value, required, required, required));
      }
      lowest = Math.min(lowest, value);
    }
    return lowest;
  }

  private static Map<ConfigResource, Config> describeBrokers(
      Admin admin, String address, Collection<Node> brokers, Duration timeout) {
    List<ConfigResource> resources =
        brokers.stream()
            .map(node -> new ConfigResource(ConfigResource.Type.BROKER, node.idString()))
            .toList();
    DescribeConfigsOptions options =
        new DescribeConfigsOptions().timeoutMs(Math.toIntExact(timeout.toMillis()));
    return await(
        admin.describeConfigs(resources, options).all(),
        timeout,
        cause ->
            new EngineStartException(
                ("Cannot read message.max.bytes of the Kafka brokers at %s (%s). Herald needs"
                        + " permission to describe the brokers' configuration.")
                    .formatted(address, cause),
                cause));
  }

  private static int messageMaxBytes(String address, String broker, Config config) {
    ConfigEntry entry = config.get(MESSAGE_MAX_BYTES);
    if (entry == null || entry.value() == null) {
      throw new EngineStartException(
          ("Kafka broker %s at %s does not report message.max.bytes; Herald cannot check that it"
                  + " accepts records of the size it writes")
              .formatted(broker, address));
    }
    try {
      return Integer.parseInt(entry.value().strip());
    } catch (NumberFormatException e) {
      throw new EngineStartException(
          "Kafka broker %s at %s reports message.max.bytes='%s', not a number"
              .formatted(broker, address, entry.value()),
          e);
    }
  }

  /** The future's value; its failure, or no answer in time, turned into {@code onFailure}. */
  private static <T> T await(
      KafkaFuture<T> future,
      Duration timeout,
      Function<Throwable, EngineStartException> onFailure) {
    try {
      // The admin call carries the timeout itself; this is a backstop a little beyond it.
      return future.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw onFailure.apply(e.getCause());
    } catch (TimeoutException e) {
      throw onFailure.apply(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineStartException("Interrupted while connecting to Kafka", e);
    }
  }

  private static EngineStartException unreachable(
      String address, Duration timeout, Throwable cause) {
    return new EngineStartException(
        ("Cannot reach a Kafka cluster at '%s' within %d s (%s). Check %s (host:port[,host:port"
                + "...]) and that the brokers are running and reachable from this host.")
            .formatted(address, timeout.toSeconds(), cause, BOOTSTRAP_VARIABLE),
        cause);
  }

  @Override
  public String bootstrapServers() {
    return bootstrap;
  }

  @Override
  public boolean isHealthy() {
    return !closed.get();
  }

  @Override
  public Optional<String> fault() {
    return Optional.empty();
  }

  @Override
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  @Override
  public void close() {
    closed.set(true);
  }

  @Override
  public String toString() {
    return "ExternalEngine[" + bootstrap + "]";
  }
}
