package dev.herald.engine.topic;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.engine.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class CommitFailuresTest {
  private static final Map<TopicPartition, OffsetAndMetadata> OFFSETS =
      Map.of(new TopicPartition("herald.target.hook", 0), new OffsetAndMetadata(7));
  private final FakeClock clock = new FakeClock(Instant.parse("2026-12-08T00:00:00Z"));
  private final CommitFailures failures = new CommitFailures("router of bus orders", clock);
  private final Logger logger = (Logger) LoggerFactory.getLogger(CommitFailures.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void capture() {
    logger.setLevel(Level.DEBUG);
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
    logger.setLevel(null);
  }

  @Test
  void aCommitFailedByARebalanceOrATimeoutIsOnlyADebugLine() {
    failures.onComplete(OFFSETS, null);
    failures.onComplete(OFFSETS, new RebalanceInProgressException("rebalancing"));
    failures.onComplete(OFFSETS, new TimeoutException("slow broker"));

    assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.DEBUG);
    assertThat(lines.list).hasSize(2);
  }

  @Test
  void anyOtherFailureIsOneWarningAMinuteNamingTheConsumerAndTheReason() {
    failures.onComplete(OFFSETS, new CommitFailedException("fenced"));
    clock.advance(Duration.ofSeconds(30));
    failures.onComplete(OFFSETS, new CommitFailedException("fenced"));
    failures.onComplete(OFFSETS, new CommitFailedException("fenced"));
    clock.advance(Duration.ofSeconds(30));
    failures.onComplete(OFFSETS, new CommitFailedException("fenced again"));

    assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.WARN);
    assertThat(lines.list).hasSize(2);
    assertThat(lines.list.get(0).getFormattedMessage())
        .startsWith("router of bus orders: offsets not committed (0 more failures")
        .endsWith("CommitFailedException: fenced");
    assertThat(lines.list.get(1).getFormattedMessage())
        .startsWith("router of bus orders: offsets not committed (2 more failures")
        .endsWith("fenced again");
  }
}
