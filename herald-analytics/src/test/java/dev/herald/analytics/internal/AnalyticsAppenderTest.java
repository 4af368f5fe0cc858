package dev.herald.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.analytics.AnalyticsClosedException;
import dev.herald.analytics.AnalyticsRow;
import dev.herald.analytics.AnalyticsStats;
import dev.herald.analytics.AnalyticsUnavailableException;
import dev.herald.api.UnstorableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The appender's batching, failure isolation, back-pressure and close, over a fake database. */
class AnalyticsAppenderTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  /** Remembers keys like a primary-key table; fails on the rows {@link #failing} names. */
  private static final class FakeDatabase implements AnalyticsAppender.BatchWriter {
    final Set<String> keys = new HashSet<>();
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    Set<String> failing = Set.of();
    SQLException failure = new SQLException("value too long", "22001");

    @Override
    public synchronized Set<String> write(List<AnalyticsRow> rows) throws SQLException {
      List<String> batch = rows.stream().map(AnalyticsRow::deliveryKey).toList();
      batches.add(batch);
      if (batch.stream().anyMatch(failing::contains)) {
        throw failure;
      }
      Set<String> stored = new HashSet<>();
      for (String key : batch) {
        if (keys.add(key)) {
          stored.add(key);
        }
      }
      return stored;
    }
  }

  private static AnalyticsRow row(String key) {
    return new AnalyticsRow(key, "E-" + key, "default", "s", "T", T0, T0, T0, "{}");
  }

  private static AnalyticsAppender appender(FakeDatabase db, int maxBatch, int queueRows) {
    return new AnalyticsAppender(db, maxBatch, Duration.ZERO, queueRows, 64L * 1024 * 1024);
  }

  @Test
  void commitsWhatIsQueuedInBatchesOfAtMostMaxBatch() {
    FakeDatabase db = new FakeDatabase();
    AnalyticsAppender appender = appender(db, 5, 100);
    List<CompletableFuture<Boolean>> futures = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      futures.add(appender.submit(row("k" + i), WAIT));
    }

    assertThat(appender.runOnce()).isEqualTo(5);
    assertThat(appender.runOnce()).isEqualTo(5);
    assertThat(appender.runOnce()).isEqualTo(2);

    assertThat(db.batches).extracting(List::size).containsExactly(5, 5, 2);
    assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedWithValue(true));
  }

  @Test
  void aKeyRepeatedInABatchIsWrittenOnceAndCountedOnce() {
    FakeDatabase db = new FakeDatabase();
    AnalyticsAppender appender = appender(db, 10, 100);
    var first = appender.submit(row("same"), WAIT);
    var second = appender.submit(row("same"), WAIT);
    var other = appender.submit(row("other"), WAIT);

    appender.runOnce();

    assertThat(db.batches).containsExactly(List.of("same", "other"));
    assertThat(first).isCompletedWithValue(true);
    assertThat(second).isCompletedWithValue(false);
    assertThat(other).isCompletedWithValue(true);
    assertThat(appender.stats()).isEqualTo(new AnalyticsStats(0, 1, 2, 1, 0));
  }

  @Test
  void aKeyAlreadyStoredAnswersFalse() {
    FakeDatabase db = new FakeDatabase();
    db.keys.add("old");
    AnalyticsAppender appender = appender(db, 10, 100);
    var old = appender.submit(row("old"), WAIT);

    appender.runOnce();

    assertThat(old).isCompletedWithValue(false);
  }

  @Test
  void aBadRowFailsAloneAndTheRestOfItsBatchCommits() {
    FakeDatabase db = new FakeDatabase();
    db.failing = Set.of("bad");
    AnalyticsAppender appender = appender(db, 10, 100);
    var a = appender.submit(row("a"), WAIT);
    var bad = appender.submit(row("bad"), WAIT);
    var b = appender.submit(row("b"), WAIT);

    appender.runOnce();

    assertThat(a).isCompletedWithValue(true);
    assertThat(b).isCompletedWithValue(true);
    assertThatThrownBy(bad::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(UnstorableException.class) // never storable: a dead letter at once
        .hasMessageContaining("value too long");
    assertThat(db.batches)
        .containsExactly(List.of("a", "bad", "b"), List.of("a"), List.of("bad"), List.of("b"));
    assertThat(appender.stats()).isEqualTo(new AnalyticsStats(0, 1, 2, 0, 1));
  }

  @Test
  void aFailureOfTheDatabaseFailsTheWholeBatchAtOnceWithoutRowByRowWrites() {
    FakeDatabase db = new FakeDatabase();
    db.failing = Set.of("b");
    db.failure = new SQLException("Out of Memory Error: failed to allocate data of size 32.0 KiB");
    AnalyticsAppender appender = appender(db, 10, 100);
    var futures =
        List.of(
            appender.submit(row("a"), WAIT),
            appender.submit(row("b"), WAIT),
            appender.submit(row("c"), WAIT));

    appender.runOnce();

    assertThat(futures)
        .allSatisfy(
            f ->
                assertThatThrownBy(f::get)
                    .hasCauseInstanceOf(AnalyticsUnavailableException.class)
                    .hasMessageContaining("Out of Memory"));
    assertThat(db.batches).containsExactly(List.of("a", "b", "c"));
  }

  @Test
  void whenTheDatabaseBecomesUnreachableWhileRowsAreTriedAloneTheRestFailAtOnce() {
    FakeDatabase db = new FakeDatabase();
    db.failing = Set.of("a", "b", "c");
    db.failure = new SQLException("invalid input syntax for type json", "22P02");
    AnalyticsAppender appender =
        new AnalyticsAppender(
            rows -> {
              if (db.batches.size() == 1) {
                db.failure = new SQLTransientConnectionException("connection refused", "08006");
              }
              return db.write(rows);
            },
            10,
            Duration.ZERO,
            100,
            64L * 1024 * 1024);
    var futures =
        List.of(
            appender.submit(row("a"), WAIT),
            appender.submit(row("b"), WAIT),
            appender.submit(row("c"), WAIT));

    appender.runOnce();

    assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
    assertThat(db.batches).containsExactly(List.of("a", "b", "c"), List.of("a"));
  }

  @Test
  void rowErrorsAreDataExceptionsConstraintsAndDuckDbsConversionErrors() {
    assertThat(AnalyticsAppender.isRowError(new SQLException("x", "22021"))).isTrue();
    assertThat(AnalyticsAppender.isRowError(new SQLException("x", "23505"))).isTrue();
    assertThat(AnalyticsAppender.isRowError(new SQLException("Conversion Error: 'x' to INT32")))
        .isTrue();
    assertThat(AnalyticsAppender.isRowError(new SQLException("x", "08006"))).isFalse();
    assertThat(AnalyticsAppender.isRowError(new SQLException("x", "53100"))).isFalse();
    assertThat(AnalyticsAppender.isRowError(new SQLException("Out of Memory Error: ...")))
        .isFalse();
    assertThat(AnalyticsAppender.isRowError(new SQLException((String) null))).isFalse();
  }

  @Test
  void aChoreRunsBetweenTheRowsQueuedBeforeItAndThoseAfter() {
    FakeDatabase db = new FakeDatabase();
    AnalyticsAppender appender = appender(db, 10, 100);
    var a = appender.submit(row("a"), WAIT);
    var chore =
        appender.submitChore(
            () -> {
              db.batches.add(List.of("chore"));
              return 7L;
            });
    var b = appender.submit(row("b"), WAIT);
    var failing =
        appender.submitChore(
            () -> {
              throw new SQLException("disk full");
            });

    assertThat(appender.runOnce()).isEqualTo(4);

    assertThat(db.batches).containsExactly(List.of("a"), List.of("chore"), List.of("b"));
    assertThat(List.of(a, b)).allSatisfy(f -> assertThat(f).isCompletedWithValue(true));
    assertThat(chore).isCompletedWithValue(7L);
    assertThatThrownBy(failing::get)
        .hasCauseInstanceOf(AnalyticsUnavailableException.class)
        .hasMessageContaining("disk full");
    assertThat(appender.stats()).isEqualTo(new AnalyticsStats(0, 2, 2, 0, 0));
  }

  @Test
  void aCallerWaitsForRoomWhenTheQueueIsFullAndGivesUpAtItsDeadline() {
    FakeDatabase db = new FakeDatabase();
    AnalyticsAppender appender = appender(db, 2, 2);
    var a = appender.submit(row("a"), WAIT);
    var b = appender.submit(row("b"), WAIT);

    assertThatThrownBy(() -> appender.submit(row("c"), Duration.ofMillis(50)))
        .isInstanceOf(AnalyticsUnavailableException.class)
        .hasMessageContaining("full");

    assertThat(appender.stats().queuedRows()).isEqualTo(2);
    appender.runOnce();
    assertThat(List.of(a, b)).allSatisfy(f -> assertThat(f).isCompletedWithValue(true));
    assertThat(appender.submit(row("c"), Duration.ofMillis(50))).isNotDone();
  }

  @Test
  void rowsWeighingMoreThanTheByteBudgetWait() {
    FakeDatabase db = new FakeDatabase();
    AnalyticsAppender appender =
        new AnalyticsAppender(db, 10, Duration.ZERO, 100, 1024 * 1024); // 1 MiB
    String big = "x".repeat(300 * 1024); // about 600 KiB as a Java string
    assertThat(appender.submit(new AnalyticsRow("a", "E", "d", "s", "T", T0, T0, T0, big), WAIT))
        .isNotDone();

    assertThatThrownBy(
            () ->
                appender.submit(
                    new AnalyticsRow("b", "E", "d", "s", "T", T0, T0, T0, big),
                    Duration.ofMillis(50)))
        .isInstanceOf(AnalyticsUnavailableException.class);
  }

  @Test
  void aLingerCollectsRowsThatArriveWhileItWaits() {
    FakeDatabase db = new FakeDatabase();
    AnalyticsAppender appender =
        new AnalyticsAppender(db, 3, Duration.ofSeconds(1), 100, 64L * 1024 * 1024);
    appender.start("test-appender");
    var futures =
        List.of(
            appender.submit(row("a"), WAIT),
            appender.submit(row("b"), WAIT),
            appender.submit(row("c"), WAIT));

    futures.forEach(CompletableFuture::join);
    appender.close();

    assertThat(db.batches).containsExactly(List.of("a", "b", "c"));
  }

  @Test
  void closeCommitsEveryAcceptedRowThenRefusesMore() {
    FakeDatabase db = new FakeDatabase();
    AnalyticsAppender appender = appender(db, 4, 100);
    appender.start("test-appender");
    List<CompletableFuture<Boolean>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(appender.submit(row("k" + i), WAIT));
    }

    appender.close();

    assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedWithValue(true));
    assertThat(db.keys).hasSize(50);
    assertThatThrownBy(() -> appender.submit(row("late"), WAIT))
        .isInstanceOf(AnalyticsClosedException.class);
  }
}
