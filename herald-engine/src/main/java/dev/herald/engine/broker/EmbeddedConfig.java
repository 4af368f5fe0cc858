package dev.herald.engine.broker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Configuration of the embedded single-node Kafka broker.
 *
 * @param dataDir Herald's data directory; Kafka keeps everything under {@code dataDir/kafka} (its
 *     logs in {@code kafka/logs}, the cluster id in {@code kafka/cluster.id}, the current address
 *     in {@code kafka/bootstrap}). Required; made absolute.
 * @param fsync when true the broker forces every append to disk before acknowledging it ({@code
 *     log.flush.interval.messages=1}): acknowledged events then survive a power cut, not only a
 *     process crash, at the cost of one fsync per produce batch and partition, which lowers
 *     throughput and raises latency (by how much depends on the disk; see herald-bench). Default
 *     false: acknowledged data sits in the OS page cache and survives {@code kill -9}.
 * @param messageMaxBytes the broker's {@code message.max.bytes}, the largest record batch it
 *     accepts. Default {@value #DEFAULT_MESSAGE_MAX_BYTES} (2 MiB: a 1 MiB entry plus its envelope,
 *     key and headers, with room to spare). Between {@value #MIN_MESSAGE_MAX_BYTES} and {@value
 *     #MAX_MESSAGE_MAX_BYTES} (the log segment size, which a batch cannot exceed).
 */
public record EmbeddedConfig(Path dataDir, boolean fsync, int messageMaxBytes) {

  /** 2 MiB: a 1 MiB entry plus envelope. */
  public static final int DEFAULT_MESSAGE_MAX_BYTES = 2 * 1024 * 1024;

  /** 64 KiB. */
  public static final int MIN_MESSAGE_MAX_BYTES = 64 * 1024;

  /** 16 MiB, the embedded broker's {@code log.segment.bytes}. */
  public static final int MAX_MESSAGE_MAX_BYTES = 16 * 1024 * 1024;

  public EmbeddedConfig {
    Objects.requireNonNull(dataDir, "dataDir is required");
    dataDir = dataDir.toAbsolutePath().normalize();
    if (messageMaxBytes < MIN_MESSAGE_MAX_BYTES || messageMaxBytes > MAX_MESSAGE_MAX_BYTES) {
      throw new IllegalArgumentException(
          "messageMaxBytes must be between "
              + MIN_MESSAGE_MAX_BYTES
              + " and "
              + MAX_MESSAGE_MAX_BYTES
              + " bytes, was "
              + messageMaxBytes);
    }
  }

  /** The defaults: no fsync, {@value #DEFAULT_MESSAGE_MAX_BYTES} bytes per record. */
  public static EmbeddedConfig of(Path dataDir) {
    return new EmbeddedConfig(dataDir, false, DEFAULT_MESSAGE_MAX_BYTES);
  }

  /** This configuration with {@code fsync} set as given. */
  public EmbeddedConfig withFsync(boolean fsync) {
    return new EmbeddedConfig(dataDir, fsync, messageMaxBytes);
  }

  /** This configuration with {@code messageMaxBytes} set as given. */
  public EmbeddedConfig withMessageMaxBytes(int messageMaxBytes) {
    return new EmbeddedConfig(dataDir, fsync, messageMaxBytes);
  }
}
