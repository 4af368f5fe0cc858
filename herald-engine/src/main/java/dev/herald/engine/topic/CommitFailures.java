package dev.herald.engine.topic;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callback of Herald's asynchronous offset commits. Without one, Kafka's consumer logs every
 * failed commit at ERROR, and a commit fails at each rebalance (a new target topic makes one),
 * although nothing is wrong: the next commit covers it, and what a crash would read again is routed
 * with the same delivery keys and skipped by the journal. So a commit failing because of a
 * rebalance or another retriable cause is logged at DEBUG; any other cause at WARN, at most once a
 * minute per consumer (commits are tried every 50 ms), naming the consumer and the reason.
 *
 * <p>Threads: called on the consumer's thread, inside its poll.
 */
public final class CommitFailures implements OffsetCommitCallback {
  private static final Logger LOG = LoggerFactory.getLogger(CommitFailures.class);
  static final Duration WARN_EVERY = Duration.ofMinutes(1);

  private final String consumer;
  private final InstantSource clock;
  private Instant lastWarned = Instant.MIN; // consumer thread
  private long quiet; // consumer thread: failures not logged since the last warning

  /** {@code consumer} names the consumer in the log line, e.g. "router of bus orders". */
  public CommitFailures(String consumer, InstantSource clock) {
    this.consumer = consumer;
    this.clock = clock;
  }

  @Override
  public void onComplete(Map<TopicPartition, OffsetAndMetadata> offsets, Exception exception) {
    if (exception == null) {
      return;
    }
    if (exception instanceof RebalanceInProgressException
        || exception instanceof RetriableException) {
      LOG.debug("{}: offset commit failed, the next covers it: {}", consumer, exception.toString());
      return;
    }
    Instant now = clock.instant();
    if (now.isBefore(lastWarned.plus(WARN_EVERY))) {
      quiet++;
      return;
    }
    LOG.warn(
        "{}: offsets not committed ({} more failures since the last warning); a restart would"
            + " read again what was routed or delivered since the last commit, and skip it by"
            + " its delivery key: {}",
        consumer,
        quiet,
        exception.toString());
    lastWarned = now;
    quiet = 0;
  }
}
