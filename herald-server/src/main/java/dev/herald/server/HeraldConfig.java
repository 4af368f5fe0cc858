package dev.herald.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code herald serve} needs, with defaults. Each field is also an environment variable:
 * HERALD_DATA_DIR, HERALD_HOST, HERALD_PORT, HERALD_FSYNC, HERALD_KAFKA_BOOTSTRAP,
 * HERALD_STORE_URL, HERALD_BUS_PARTITIONS, HERALD_SECRET_KEY.
 *
 * @param dataDir where the embedded broker and the SQLite store keep their files
 * @param host the address HTTP binds; only loopback until API keys exist
 * @param port the HTTP port; 0 picks a free one
 * @param fsync flush every write of the embedded broker to disk before acknowledging
 * @param kafkaBootstrap an external Kafka cluster; empty runs the embedded broker
 * @param storeUrl a PostgreSQL JDBC URL; empty uses SQLite in the data dir
 * @param busPartitions partitions of each new bus topic (target topics: {@link KafkaSettings})
 * @param secretKey the base64 AES-256 key that encrypts stored secrets; empty keeps one in the data
 *     dir ({@code secret.key}), which only works for a single instance
 */
public record HeraldConfig(
    Path dataDir,
    String host,
    int port,
    boolean fsync,
    Optional<String> kafkaBootstrap,
    Optional<String> storeUrl,
    int busPartitions,
    Optional<String> secretKey) {

  public static final Path DEFAULT_DATA_DIR = Path.of("herald-data");
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_BUS_PARTITIONS = 4;
  public static final int CLUSTER_BUS_PARTITIONS = 12;

  public HeraldConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    kafkaBootstrap = kafkaBootstrap.filter(s -> !s.isBlank());
    storeUrl = storeUrl.filter(s -> !s.isBlank());
    secretKey = secretKey.filter(s -> !s.isBlank());
    if (storeUrl.isPresent() && secretKey.isEmpty()) {
      throw new IllegalArgumentException(
          "with a shared store (HERALD_STORE_URL) every instance needs the same HERALD_SECRET_KEY"
              + " (32 random bytes in base64, e.g. from: openssl rand -base64 32)");
    }
    if (busPartitions < 1 || busPartitions > 1024) {
      throw new IllegalArgumentException(
          "busPartitions must be between 1 and 1024, got " + busPartitions);
    }
  }

  /**
   * Bus partitions when none are configured: 4 on the embedded broker, 12 on a cluster (routing
   * spreads over at most that many instances).
   */
  public static int defaultBusPartitions(boolean cluster) {
    return cluster ? CLUSTER_BUS_PARTITIONS : DEFAULT_BUS_PARTITIONS;
  }

  /** Embedded mode with defaults, data in {@code dataDir}. */
  public static HeraldConfig embedded(Path dataDir) {
    return new HeraldConfig(
        dataDir,
        DEFAULT_HOST,
        DEFAULT_PORT,
        false,
        Optional.empty(),
        Optional.empty(),
        DEFAULT_BUS_PARTITIONS,
        Optional.empty());
  }

  public HeraldConfig withPort(int newPort) {
    return new HeraldConfig(
        dataDir, host, newPort, fsync, kafkaBootstrap, storeUrl, busPartitions, secretKey);
  }

  public HeraldConfig withFsync(boolean newFsync) {
    return new HeraldConfig(
        dataDir, host, port, newFsync, kafkaBootstrap, storeUrl, busPartitions, secretKey);
  }
}
