package dev.herald.engine.broker;

import java.util.Optional;

/**
 * The Kafka engine Herald runs on, seen only as a lifecycle that hands out a bootstrap address.
 * Everything else in Herald talks to it through the Kafka client protocol, so switching from the
 * embedded broker to an external cluster is configuration only.
 *
 * <ul>
 *   <li>{@link #embedded(EmbeddedConfig)} starts a single-node KRaft broker inside this JVM and
 *       returns once it answers requests.
 *   <li>{@link #external(String, int)} checks that an existing cluster is reachable and accepts
 *       records of the size Herald needs; it starts nothing.
 * </ul>
 *
 * <p>Implementations are thread-safe: every method may be called from any thread.
 */
public interface Engine extends AutoCloseable {

  /**
   * Starts the embedded broker on {@code config.dataDir()/kafka}, formatting the storage on first
   * use, and returns when it answers requests.
   *
   * @throws EngineStartException when the broker cannot be started; the message says why
   */
  static Engine embedded(EmbeddedConfig config) {
    return EmbeddedEngine.start(config);
  }

  /**
   * Connects to an external Kafka cluster, checks within about 10 s that it answers and that its
   * brokers accept records of {@code requiredMessageBytes} ({@code message.max.bytes}), and fails
   * fast with a message that says what to change otherwise.
   *
   * @param bootstrap {@code host:port[,host:port...]}, from {@code HERALD_KAFKA_BOOTSTRAP}
   * @param requiredMessageBytes the largest record Herald will write, in bytes (positive)
   * @throws EngineStartException when the cluster is unreachable or its limit is too low
   */
  static Engine external(String bootstrap, int requiredMessageBytes) {
    return ExternalEngine.connect(bootstrap, requiredMessageBytes, ExternalEngine.CONNECT_TIMEOUT);
  }

  /** The {@code bootstrap.servers} value for Kafka clients, e.g. {@code 127.0.0.1:40123}. */
  String bootstrapServers();

  /**
   * The ports this JVM listens on for the engine (the embedded broker's client and controller
   * listeners); empty for an external cluster.
   */
  default java.util.Set<Integer> localPorts() {
    return java.util.Set.of();
  }

  /** False after a fatal broker fault (see {@link #fault()}) or after {@link #close()}. */
  boolean isHealthy();

  /** What went wrong when the engine suffered a fatal fault; empty otherwise. */
  Optional<String> fault();

  /**
   * The largest record, in bytes, that Herald may write: for the embedded broker the configured
   * {@link EmbeddedConfig#messageMaxBytes()}, for an external cluster the lowest {@code
   * message.max.bytes} among its brokers, read at start. Use it for {@code max.request.size} and
   * topic {@code max.message.bytes}.
   */
  int maxMessageBytes();

  /**
   * Stops the embedded broker and waits for it to finish (a no-op for an external cluster).
   * Idempotent; a concurrent caller waits for the first one's stop to finish.
   */
  @Override
  void close();
}
