package dev.herald.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Publisher} batches and retries. Start from {@link #defaults()} and change what you
 * need: {@code PublisherOptions.defaults().withBatchSize(500).withLinger(Duration.ofMillis(20))}.
 *
 * @param batchSize the most entries in one request (1 to 1000, Herald's limit); a full batch is
 *     sent at once
 * @param maxBatchBytes the most bytes of entries in one request (at most 8 MiB, under Herald's 10
 *     MiB request limit)
 * @param linger how long the first entry of a batch waits for others before the batch is sent
 * @param maxAttempts how many times a request (or an entry Herald could not store) is tried before
 *     its futures fail; at least 1
 * @param initialBackoff the wait before the first retry; each retry doubles it, up to {@code
 *     maxBackoff}, with jitter (a random wait between half and all of it)
 * @param maxBackoff the longest wait between two attempts
 * @param maxQueued the most entries waiting to be sent; beyond, {@link Publisher#publish} fails its
 *     future at once with {@code QueueFull}
 */
public record PublisherOptions(
    int batchSize,
    int maxBatchBytes,
    Duration linger,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    int maxQueued) {
  public static final int MAX_BATCH_SIZE = 1000;
  public static final int MAX_BATCH_BYTES = 8 * 1024 * 1024;

  public PublisherOptions {
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "batchSize must be 1 to " + MAX_BATCH_SIZE + ", got " + batchSize);
    }
    if (maxBatchBytes < 1024 || maxBatchBytes > MAX_BATCH_BYTES) {
      throw new IllegalArgumentException(
          "maxBatchBytes must be 1024 to " + MAX_BATCH_BYTES + ", got " + maxBatchBytes);
    }
    Objects.requireNonNull(linger, "linger");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (linger.isNegative()) {
      throw new IllegalArgumentException("linger must not be negative, got " + linger);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must be 0 <= initialBackoff <= maxBackoff, got "
              + initialBackoff
              + " and "
              + maxBackoff);
    }
    if (maxQueued < batchSize) {
      throw new IllegalArgumentException(
          "maxQueued must be at least batchSize (" + batchSize + "), got " + maxQueued);
    }
  }

  /**
   * 100 entries or 4 MiB per batch, 10 ms linger, 8 attempts with backoff from 100 ms to 5 s, up to
   * 100,000 entries queued.
   */
  public static PublisherOptions defaults() {
    return new PublisherOptions(
        100,
        4 * 1024 * 1024,
        Duration.ofMillis(10),
        8,
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        100_000);
  }

  public PublisherOptions withBatchSize(int size) {
    return new PublisherOptions(
        size, maxBatchBytes, linger, maxAttempts, initialBackoff, maxBackoff, maxQueued);
  }

  public PublisherOptions withMaxBatchBytes(int bytes) {
    return new PublisherOptions(
        batchSize, bytes, linger, maxAttempts, initialBackoff, maxBackoff, maxQueued);
  }

  public PublisherOptions withLinger(Duration wait) {
    return new PublisherOptions(
        batchSize, maxBatchBytes, wait, maxAttempts, initialBackoff, maxBackoff, maxQueued);
  }

  public PublisherOptions withMaxAttempts(int attempts) {
    return new PublisherOptions(
        batchSize, maxBatchBytes, linger, attempts, initialBackoff, maxBackoff, maxQueued);
  }

  public PublisherOptions withBackoff(Duration initial, Duration max) {
    return new PublisherOptions(
        batchSize, maxBatchBytes, linger, maxAttempts, initial, max, maxQueued);
  }

  public PublisherOptions withMaxQueued(int entries) {
    return new PublisherOptions(
        batchSize, maxBatchBytes, linger, maxAttempts, initialBackoff, maxBackoff, entries);
  }
}
