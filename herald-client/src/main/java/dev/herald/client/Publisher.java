package dev.herald.client;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * A batching publisher ({@link HeraldClient#publisher}): {@link #publish} queues an entry and
 * answers a future of its event id; a sender thread sends the queue in batches of up to {@code
 * batchSize} entries (or {@code maxBatchBytes}), a batch leaving when it is full or when its first
 * entry has waited {@code linger}.
 *
 * <p><b>Retries without duplicates.</b> Every entry gets a client {@code id} (a random UUID unless
 * it has one), which Herald deduplicates for 5 minutes per bus: a batch is sent again after a 503,
 * 429, 502, 504 or a connection failure (Herald may have stored it before the answer was lost), and
 * entries Herald answered {@code EngineUnavailable} are sent again alone, with exponential backoff
 * and jitter (after a 429 or 503 with {@code Retry-After}: the wait Herald asked for, in seconds or
 * as an HTTP date, at most {@code maxBackoff}), up to {@code maxAttempts}; the retried entries are
 * stored once and answer the original event id. Batches go one at a time, in publish order: a batch
 * being retried holds back the next, so entries of one {@code orderingKey} stay in order.
 *
 * <p><b>Futures.</b> A future completes with the event id, or fails with a {@link
 * HeraldClientException}: an entry error (status 200, its {@code errorCode} and {@code field}), the
 * request's error (its status and code) when it is not retried or attempts ran out, {@code
 * QueueFull} (status 0) when {@code maxQueued} entries are already waiting, {@code InvalidJson}
 * when the detail is not JSON. Futures complete on the sender thread: do not block in their
 * callbacks.
 *
 * <p><b>Thread-safety.</b> {@link #publish}, {@link #flush} and {@link #close} may be called from
 * any thread. The queue and the closing flag are guarded by {@code lock}; the batch being retried
 * belongs to the sender thread alone ({@link #runOnce}).
 */
public final class Publisher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Publisher.class.getName());

  /** Bytes counted per entry beyond its strings: field names, quotes, the client id. */
  static final int ENTRY_OVERHEAD_BYTES = 128;

  /** Sends one batch: Herald's per-entry answer, or a {@link HeraldClientException}. */
  @FunctionalInterface
  interface Transport {
    PublishResult send(List<PublishEntry> entries);
  }

  private final Transport transport;
  private final PublisherOptions options;
  private final InstantSource clock;
  private final RandomGenerator random;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by lock
  private long queuedBytes; // guarded by lock
  private boolean closing; // guarded by lock
  private boolean flushing; // guarded by lock: send what is queued without waiting for linger
  private boolean stopped; // guarded by lock: the sender thread has ended
  private final Set<CompletableFuture<String>> outstanding = ConcurrentHashMap.newKeySet();

  private Batch retrying; // the sender thread's own: the batch waiting to be sent again
  private Thread sender;

  Publisher(
      Transport transport, PublisherOptions options, InstantSource clock, RandomGenerator random) {
    this.transport = transport;
    this.options = options;
    this.clock = clock;
    this.random = random;
  }

  static Publisher start(Transport transport, PublisherOptions options) {
    Publisher publisher =
        new Publisher(transport, options, InstantSource.system(), new SplittableRandom());
    publisher.sender = Thread.ofPlatform().daemon().name("herald-publisher").start(publisher::loop);
    return publisher;
  }

  /**
   * Queues an entry. Its future completes with the event id once Herald stored it (or had stored
   * it: a duplicate of its client id answers the original id).
   *
   * @throws IllegalStateException after {@link #close}
   */
  public CompletableFuture<String> publish(PublishEntry entry) {
    CompletableFuture<String> future = new CompletableFuture<>();
    try {
      HeraldClient.MAPPER.readTree(entry.detailJson());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      future.completeExceptionally(
          new HeraldClientException(
              0, "InvalidJson", "detail is not valid JSON: " + e.getOriginalMessage(), "detail"));
      return future;
    }
    PublishEntry withId = entry.id() == null ? entry.withId(UUID.randomUUID().toString()) : entry;
    Pending pending = new Pending(withId, future, clock.instant(), bytes(withId));
    lock.lock();
    try {
      if (closing) {
        throw new IllegalStateException("this publisher is closed");
      }
      if (queue.size() >= options.maxQueued()) {
        future.completeExceptionally(
            new HeraldClientException(
                0,
                "QueueFull",
                options.maxQueued() + " entries are already waiting to be sent (maxQueued)",
                null));
        return future;
      }
      queue.addLast(pending);
      queuedBytes += pending.bytes;
      outstanding.add(future);
      future.whenComplete((id, error) -> outstanding.remove(future));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return future;
  }

  /**
   * Sends what is queued now, without waiting for linger, and waits until every entry published
   * before this call is answered (stored or failed).
   */
  public void flush() {
    List<CompletableFuture<String>> waiting = List.copyOf(outstanding);
    lock.lock();
    try {
      flushing = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (CompletableFuture<String> future : waiting) {
      try {
        future.join();
      } catch (RuntimeException e) {
        // its failure is the caller's to see in the future
      }
    }
  }

  /**
   * Sends everything queued (retries included, so this can take up to {@code maxAttempts} backoffs)
   * and stops the sender thread. Later {@link #publish} calls throw.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closing = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (sender != null && sender != Thread.currentThread()) {
      boolean interrupted = false;
      while (sender.isAlive()) {
        try {
          sender.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** How many entries are queued, not yet sent. */
  public int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (true) {
      Optional<Duration> wait = runOnce();
      lock.lock();
      try {
        if (closing && queue.isEmpty() && retrying == null) {
          stopped = true;
          changed.signalAll();
          return;
        }
        if (wait.isEmpty()) {
          changed.await();
        } else if (!wait.get().isZero()) {
          changed.await(wait.get().toNanos(), TimeUnit.NANOSECONDS);
        }
      } catch (InterruptedException e) {
        LOG.log(System.Logger.Level.WARNING, "herald-publisher interrupted; it goes on sending");
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * One step of the sender: sends the batch being retried when its backoff is over, else the next
   * batch when it is full, its linger is over, or a flush or close asks for it.
   *
   * @return how long to wait before the next step ({@link Duration#ZERO}: at once); empty when
   *     nothing is queued (wait for {@link #publish})
   */
  Optional<Duration> runOnce() {
    Instant now = clock.instant();
    if (retrying != null) {
      if (now.isBefore(retrying.notBefore)) {
        return Optional.of(Duration.between(now, retrying.notBefore));
      }
      Batch batch = retrying;
      retrying = null;
      attempt(batch.entries, batch.attempts + 1);
      return Optional.of(Duration.ZERO);
    }
    List<Pending> batch;
    lock.lock();
    try {
      if (queue.isEmpty()) {
        flushing = false;
        return Optional.empty();
      }
      Instant due = queue.peekFirst().enqueuedAt.plus(options.linger());
      boolean full = queue.size() >= options.batchSize() || queuedBytes >= options.maxBatchBytes();
      if (!full && !closing && !flushing && now.isBefore(due)) {
        return Optional.of(Duration.between(now, due));
      }
      batch = take();
    } finally {
      lock.unlock();
    }
    attempt(batch, 1);
    return Optional.of(Duration.ZERO);
  }

  /** The next batch off the queue: up to batchSize entries and maxBatchBytes (at least one). */
  private List<Pending> take() {
    List<Pending> batch = new ArrayList<>();
    long bytes = 0;
    while (!queue.isEmpty() && batch.size() < options.batchSize()) {
      Pending next = queue.peekFirst();
      if (!batch.isEmpty() && bytes + next.bytes > options.maxBatchBytes()) {
        break;
      }
      queue.removeFirst();
      queuedBytes -= next.bytes;
      bytes += next.bytes;
      batch.add(next);
    }
    return batch;
  }

  /** Sends a batch (its {@code attempt}-th try) and settles or schedules each entry. */
  private void attempt(List<Pending> batch, int attempt) {
    List<PublishEntry> entries = new ArrayList<>(batch.size());
    batch.forEach(p -> entries.add(p.entry));
    PublishResult result;
    try {
      result = transport.send(entries);
    } catch (HeraldClientException e) {
      if (retryable(e) && attempt < options.maxAttempts()) {
        Duration wait = wait(e, attempt);
        LOG.log(
            System.Logger.Level.DEBUG,
            "publish of {0} entries failed ({1}); attempt {2} in {3} ms",
            batch.size(),
            e,
            attempt + 1,
            wait.toMillis());
        retrying = new Batch(batch, attempt, clock.instant().plus(wait));
      } else {
        LOG.log(
            System.Logger.Level.WARNING,
            "publish of {0} entries failed after {1} attempt(s): {2}",
            batch.size(),
            attempt,
            e);
        batch.forEach(p -> p.future.completeExceptionally(e));
      }
      return;
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "publish of {0} entries failed", batch.size(), e);
      batch.forEach(p -> p.future.completeExceptionally(e));
      return;
    }
    settle(batch, attempt, result);
  }

  private void settle(List<Pending> batch, int attempt, PublishResult result) {
    if (result.entries().size() != batch.size()) {
      HeraldClientException wrong =
          new HeraldClientException(
              200,
              "InvalidResponse",
              "Herald answered " + result.entries().size() + " results for " + batch.size(),
              null);
      batch.forEach(p -> p.future.completeExceptionally(wrong));
      return;
    }
    List<Pending> again = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      PublishResult.Entry entry = result.entries().get(i);
      if (entry.stored()) {
        pending.future.complete(entry.eventId());
      } else if ("EngineUnavailable".equals(entry.errorCode()) && attempt < options.maxAttempts()) {
        again.add(pending);
      } else {
        pending.future.completeExceptionally(
            new HeraldClientException(200, entry.errorCode(), entry.errorMessage(), entry.field()));
      }
    }
    if (!again.isEmpty()) {
      retrying = new Batch(again, attempt, clock.instant().plus(backoff(attempt)));
    }
  }

  /** Worth sending again: Herald unavailable or overloaded, or not reached. */
  static boolean retryable(HeraldClientException e) {
    return switch (e.status()) {
      case 0 -> "ConnectionFailed".equals(e.code());
      case 429, 502, 503, 504 -> true;
      default -> false;
    };
  }

  /**
   * The wait after a failed {@code attempt}-th try: what Herald asked for ({@code Retry-After} on a
   * 429 or 503), at most {@code maxBackoff}; else {@link #backoff}.
   */
  Duration wait(HeraldClientException e, int attempt) {
    return e.retryAfter()
        .map(asked -> asked.compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : asked)
        .orElseGet(() -> backoff(attempt));
  }

  /**
   * The wait after the {@code attempt}-th try: {@code initialBackoff * 2^(attempt-1)}, at most
   * {@code maxBackoff}, of which a random part between half and all.
   */
  Duration backoff(int attempt) {
    long initial = options.initialBackoff().toMillis();
    long max = options.maxBackoff().toMillis();
    long base = initial;
    for (int i = 1; i < attempt && base < max; i++) {
      base *= 2;
    }
    base = Math.min(base, max);
    long half = base / 2;
    return Duration.ofMillis(half + random.nextLong(base - half + 1));
  }

  private static int bytes(PublishEntry e) {
    return ENTRY_OVERHEAD_BYTES
        + length(e.bus())
        + length(e.source())
        + length(e.detailType())
        + length(e.detailJson())
        + length(e.orderingKey())
        + length(e.id())
        + length(e.time());
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }

  /** An entry waiting for its answer. */
  private record Pending(
      PublishEntry entry, CompletableFuture<String> future, Instant enqueuedAt, int bytes) {}

  /** A batch waiting to be sent again: its entries, tries so far, and when it may go. */
  private record Batch(List<Pending> entries, int attempts, Instant notBefore) {}

  /** True once the sender thread has ended (after {@link #close}). */
  boolean stopped() {
    lock.lock();
    try {
      return stopped;
    } finally {
      lock.unlock();
    }
  }
}
