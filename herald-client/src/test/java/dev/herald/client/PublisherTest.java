package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The batching publisher's logic, step by step ({@link Publisher#runOnce}) on a fake clock, with
 * Herald's answers (and failures) injected by a scripted transport. The publisher against a real
 * Herald is tested in herald-it ({@code PublisherIT}).
 */
class PublisherTest {
  private final FakeClock clock = new FakeClock();
  private final Script script = new Script();

  private Publisher publisher(PublisherOptions options) {
    return new Publisher(script, options, clock, new SplittableRandom(7));
  }

  private static PublisherOptions options() {
    return PublisherOptions.defaults()
        .withBatchSize(3)
        .withLinger(Duration.ofSeconds(1))
        .withMaxAttempts(4)
        .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));
  }

  private static PublishEntry entry(int n) {
    return PublishEntry.of("test", "T", "{\"n\":" + n + "}");
  }

  @Test
  void aFullBatchLeavesAtOnceWithoutWaitingForItsLinger() {
    Publisher publisher = publisher(options());
    List<CompletableFuture<String>> futures = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      futures.add(publisher.publish(entry(i)));
    }
    script.answer(Script::storeAll);

    assertThat(publisher.runOnce()).contains(Duration.ZERO);

    assertThat(script.batches).hasSize(1);
    assertThat(script.batches.getFirst()).hasSize(3);
    assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted());
    assertThat(futures.get(2).join()).isEqualTo("event-" + script.batches.get(0).get(2).id());
    assertThat(publisher.runOnce()).isEmpty(); // nothing left: wait for publish
  }

  @Test
  void aPartialBatchWaitsForTheLingerOfItsFirstEntry() {
    Publisher publisher = publisher(options());
    CompletableFuture<String> first = publisher.publish(entry(1));
    clock.advance(Duration.ofMillis(400));
    publisher.publish(entry(2));
    script.answer(Script::storeAll);

    assertThat(publisher.runOnce()).contains(Duration.ofMillis(600));
    clock.advance(Duration.ofMillis(599));
    assertThat(publisher.runOnce()).contains(Duration.ofMillis(1));
    assertThat(script.batches).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(publisher.runOnce()).contains(Duration.ZERO);

    assertThat(script.batches).singleElement().satisfies(b -> assertThat(b).hasSize(2));
    assertThat(first).isCompleted();
  }

  @Test
  void everyEntryGetsAClientIdThatStaysTheSameAcrossRetries() {
    Publisher publisher = publisher(options());
    CompletableFuture<String> mine = publisher.publish(entry(1).withId("my-own-id"));
    CompletableFuture<String> given = publisher.publish(entry(2));
    script.fail(503, "ServiceUnavailable");
    script.answer(Script::storeAll);

    clock.advance(Duration.ofSeconds(1)); // the linger is over
    assertThat(publisher.runOnce()).contains(Duration.ZERO); // sent, 503
    Duration wait = publisher.runOnce().orElseThrow();
    assertThat(wait).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(given).isNotDone();
    clock.advance(wait);
    publisher.runOnce();

    assertThat(script.batches).hasSize(2);
    assertThat(script.batches.get(0).get(0).id()).isEqualTo("my-own-id");
    assertThat(script.batches.get(0).get(1).id()).isNotBlank();
    assertThat(script.batches.get(1)).isEqualTo(script.batches.get(0)); // same entries, same ids
    assertThat(mine.join()).isEqualTo("event-my-own-id");
    assertThat(given).isCompleted();
  }

  @Test
  void connectionFailuresAreRetriedUpToMaxAttemptsThenFailTheFutures() {
    Publisher publisher = publisher(options());
    CompletableFuture<String> future = publisher.publish(entry(1));
    for (int i = 0; i < 4; i++) {
      script.fail(0, "ConnectionFailed");
    }
    clock.advance(Duration.ofSeconds(1)); // the linger is over
    runUntilIdle(publisher);

    assertThat(script.batches).hasSize(4);
    assertThat(failure(future).code()).isEqualTo("ConnectionFailed");
    assertThat(failure(future).status()).isZero();
  }

  @Test
  void throttlingAndGatewayErrorsAreRetriedToo() {
    for (int status : new int[] {429, 502, 503, 504}) {
      assertThat(Publisher.retryable(new HeraldClientException(status, "X", "m", null))).isTrue();
    }
    for (int status : new int[] {400, 401, 403, 404, 413, 415, 500}) {
      assertThat(Publisher.retryable(new HeraldClientException(status, "X", "m", null))).isFalse();
    }
    assertThat(Publisher.retryable(new HeraldClientException(0, "Interrupted", "m", null)))
        .isFalse();
  }

  @Test
  void aRequestErrorThatIsNotRetryableFailsTheBatchAtOnce() {
    Publisher publisher = publisher(options());
    CompletableFuture<String> a = publisher.publish(entry(1));
    CompletableFuture<String> b = publisher.publish(entry(2));
    script.fail(403, "Forbidden");
    clock.advance(Duration.ofSeconds(1)); // the linger is over
    runUntilIdle(publisher);

    assertThat(script.batches).hasSize(1);
    assertThat(failure(a).code()).isEqualTo("Forbidden");
    assertThat(failure(b).status()).isEqualTo(403);
  }

  @Test
  void entryErrorsFailOnlyTheirOwnFutures() {
    Publisher publisher = publisher(options());
    CompletableFuture<String> good = publisher.publish(entry(1));
    CompletableFuture<String> bad = publisher.publish(entry(2));
    script.answer(
        batch ->
            new PublishResult(
                1,
                List.of(
                    Script.stored(batch.get(0)),
                    new PublishResult.Entry(null, "UnknownBus", "bus 'x' does not exist", "bus"))));
    clock.advance(Duration.ofSeconds(1)); // the linger is over
    runUntilIdle(publisher);

    assertThat(good.join()).startsWith("event-");
    HeraldClientException error = failure(bad);
    assertThat(error.code()).isEqualTo("UnknownBus");
    assertThat(error.field()).isEqualTo("bus");
    assertThat(error.status()).isEqualTo(200);
    assertThat(script.batches).hasSize(1);
  }

  @Test
  void entriesHeraldCouldNotStoreAreSentAgainAloneAfterABackoff() {
    Publisher publisher = publisher(options());
    CompletableFuture<String> stored = publisher.publish(entry(1));
    CompletableFuture<String> later = publisher.publish(entry(2));
    script.answer(
        batch ->
            new PublishResult(
                1,
                List.of(
                    Script.stored(batch.get(0)),
                    new PublishResult.Entry(null, "EngineUnavailable", "not stored", null))));
    script.answer(Script::storeAll);
    clock.advance(Duration.ofSeconds(1)); // the linger is over

    publisher.runOnce();
    assertThat(stored).isCompleted();
    assertThat(later).isNotDone();
    Duration wait = publisher.runOnce().orElseThrow();
    assertThat(wait).isPositive();
    clock.advance(wait);
    publisher.runOnce();

    assertThat(script.batches.get(1)).containsExactly(script.batches.get(0).get(1));
    assertThat(later.join()).isEqualTo("event-" + script.batches.get(1).get(0).id());
  }

  @Test
  void aBatchBeingRetriedHoldsBackTheNextSoPublishOrderIsKept() {
    Publisher publisher = publisher(options().withBatchSize(1));
    publisher.publish(entry(1));
    publisher.publish(entry(2));
    script.fail(503, "ServiceUnavailable");
    script.answer(Script::storeAll);
    script.answer(Script::storeAll);

    publisher.runOnce(); // entry 1 fails
    Duration wait = publisher.runOnce().orElseThrow(); // entry 2 is full, but waits behind it
    assertThat(script.batches).hasSize(1);
    clock.advance(wait);
    publisher.runOnce();
    publisher.runOnce();

    assertThat(script.batches).hasSize(3);
    assertThat(script.batches.get(1).getFirst().detailJson()).isEqualTo("{\"n\":1}");
    assertThat(script.batches.get(2).getFirst().detailJson()).isEqualTo("{\"n\":2}");
  }

  @Test
  void backoffDoublesUpToTheMaximumWithJitterBetweenHalfAndAll() {
    Publisher publisher = publisher(options());
    for (int i = 0; i < 50; i++) {
      assertThat(publisher.backoff(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
      assertThat(publisher.backoff(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
      assertThat(publisher.backoff(30)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }
  }

  @Test
  void maxBatchBytesSplitsBatchesButAnEntryLargerThanItStillGoesAlone() {
    Publisher publisher = publisher(options().withBatchSize(10).withMaxBatchBytes(2048));
    String big = "{\"s\":\"" + "x".repeat(1500) + "\"}";
    publisher.publish(PublishEntry.of("test", "T", big));
    publisher.publish(PublishEntry.of("test", "T", big));
    publisher.publish(PublishEntry.of("test", "T", "{\"s\":\"" + "y".repeat(3000) + "\"}"));
    script.answer(Script::storeAll);
    script.answer(Script::storeAll);
    script.answer(Script::storeAll);

    runUntilIdle(publisher); // over maxBatchBytes queued: no linger

    assertThat(script.batches).extracting(List::size).containsExactly(1, 1, 1);
  }

  @Test
  void aFullQueueFailsTheNewEntrysFutureAtOnce() {
    Publisher publisher = publisher(options().withBatchSize(2).withMaxQueued(2));
    publisher.publish(entry(1));
    publisher.publish(entry(2));
    CompletableFuture<String> third = publisher.publish(entry(3));
    assertThat(failure(third).code()).isEqualTo("QueueFull");
    assertThat(publisher.queued()).isEqualTo(2);
  }

  @Test
  void aDetailThatIsNotJsonFailsItsFutureAtOnce() {
    Publisher publisher = publisher(options());
    CompletableFuture<String> future = publisher.publish(PublishEntry.of("s", "T", "{oops"));
    assertThat(failure(future).code()).isEqualTo("InvalidJson");
    assertThat(failure(future).field()).isEqualTo("detail");
    assertThat(publisher.queued()).isZero();
  }

  @Test
  void closeSendsWhatIsQueuedAndLaterPublishesThrow() {
    List<List<PublishEntry>> sent = new ArrayList<>();
    Publisher publisher =
        Publisher.start(
            batch -> {
              synchronized (sent) {
                sent.add(List.copyOf(batch));
              }
              return Script.storeAll(batch);
            },
            PublisherOptions.defaults().withBatchSize(2).withLinger(Duration.ofHours(1)));
    List<CompletableFuture<String>> futures = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      futures.add(publisher.publish(entry(i)));
    }
    publisher.close();

    assertThat(futures).allSatisfy(f -> assertThat(f.join()).startsWith("event-"));
    synchronized (sent) {
      assertThat(sent.stream().mapToInt(List::size).sum()).isEqualTo(5);
    }
    assertThat(publisher.stopped()).isTrue();
    assertThatThrownBy(() -> publisher.publish(entry(9))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void flushWaitsForEveryEntryPublishedBefore() {
    Publisher publisher =
        Publisher.start(
            Script::storeAll,
            PublisherOptions.defaults().withBatchSize(100).withLinger(Duration.ofHours(1)));
    try {
      CompletableFuture<String> future = publisher.publish(entry(1));
      publisher.flush();
      assertThat(future).isCompleted();
    } finally {
      publisher.close();
    }
  }

  private static HeraldClientException failure(CompletableFuture<String> future) {
    assertThat(future).isCompletedExceptionally();
    try {
      future.join();
      throw new AssertionError("completed normally");
    } catch (CompletionException e) {
      return (HeraldClientException) e.getCause();
    }
  }

  /** Steps the publisher, moving the clock over each wait, until nothing is left to do. */
  private void runUntilIdle(Publisher publisher) {
    for (int i = 0; i < 100; i++) {
      Optional<Duration> wait = publisher.runOnce();
      if (wait.isEmpty()) {
        return;
      }
      clock.advance(wait.get());
    }
    throw new AssertionError("the publisher never went idle");
  }

  /** Time that moves only when the test says. */
  static final class FakeClock implements InstantSource {
    private Instant now = Instant.parse("2026-12-07T10:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  /**
   * Herald's answers in order, each a function of the batch (or a request failure), recording every
   * batch sent.
   */
  static final class Script implements Publisher.Transport {
    final List<List<PublishEntry>> batches = new ArrayList<>();
    private final Deque<Function<List<PublishEntry>, PublishResult>> answers = new ArrayDeque<>();

    void answer(Function<List<PublishEntry>, PublishResult> answer) {
      answers.addLast(answer);
    }

    void fail(int status, String code) {
      answers.addLast(
          batch -> {
            throw new HeraldClientException(status, code, "injected " + code, null);
          });
    }

    @Override
    public PublishResult send(List<PublishEntry> entries) {
      batches.add(List.copyOf(entries));
      if (answers.isEmpty()) {
        throw new AssertionError("no answer scripted for batch " + batches.size());
      }
      return answers.removeFirst().apply(entries);
    }

    static PublishResult.Entry stored(PublishEntry entry) {
      return new PublishResult.Entry("event-" + entry.id(), null, null, null);
    }

    static PublishResult storeAll(List<PublishEntry> batch) {
      return new PublishResult(0, batch.stream().map(Script::stored).toList());
    }
  }
}
