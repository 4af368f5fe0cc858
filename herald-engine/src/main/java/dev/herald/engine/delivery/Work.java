package dev.herald.engine.delivery;

import java.time.Instant;
import java.util.Optional;

/**
 * One delivery to attempt: read from a target topic (first attempt) or claimed from the scheduled
 * retries (later attempts).
 *
 * @param attempt the number of this attempt, 1 for the first
 * @param fromRetry true when it came from the scheduled retries (the row is completed with it)
 */
public record Work(
    String target,
    String deliveryKey,
    String eventId,
    String bus,
    String rule,
    int attempt,
    byte[] input,
    boolean json,
    Optional<String> traceparent,
    Optional<byte[]> recordKey,
    Instant ingestedAt,
    Instant firstAttemptAt,
    boolean fromRetry) {}
