package dev.herald.analytics.internal;

import dev.herald.analytics.AnalyticsClosedException;
import dev.herald.analytics.AnalyticsRow;
import dev.herald.analytics.AnalyticsStats;
import dev.herald.analytics.AnalyticsUnavailableException;
import dev.herald.api.UnstorableException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of the analytics store: a platform thread that takes rows from a bounded queue
 * and commits them in batches of up to {@code maxBatch} rows, one transaction per batch.
 *
 * <p>A batch is what is queued when the thread comes for it (rows queue up while the previous
 * commit runs, so batches grow with the load), plus what arrives within {@code linger} when that is
 * positive. Rows of one delivery key within a batch are stored once: the first row's future answers
 * {@code true} (counted), the others {@code false}, as rows whose key was already stored. When a
 * batch fails because of its data ({@link #isRowError}), its rows are tried one at a time so that
 * one bad row fails alone, with {@link UnstorableException} (it never can be stored: its delivery
 * becomes a dead letter at once); any other failure (out of memory, disk full, connection lost) is
 * the database's, and every row of the batch fails at once with it: row-at-a-time writes would fail
 * the same way, only thousands of times slower. Those rows are retried by the delivery engine.
 *
 * <p>Chores ({@link #submitChore}: a purge) go through the same queue and run on the appender
 * thread between two batches, as the database's only writer.
 *
 * <p>Back-pressure: the queue holds at most {@code queueRows} rows weighing {@code queueBytes}
 * together ({@link AnalyticsRow#weight()}); {@link #submit} waits for room.
 *
 * <p><b>Thread safety.</b> {@link #submit} and {@link #close} may be called from any thread. The
 * queue is the hand-off; submitters hold a read lock while they enqueue and {@code close} takes the
 * write lock before it queues the stop marker, so every accepted row is ahead of the marker and
 * gets an answer. Only the appender thread calls the {@link BatchWriter}.
 */
final class AnalyticsAppender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AnalyticsAppender.class);
  private static final int KIB = 1024;

  /** Writes one batch of rows with distinct keys; returns the keys stored (not seen before). */
  @FunctionalInterface
  interface BatchWriter {
    Set<String> write(List<AnalyticsRow> rows) throws SQLException;
  }

  /** Work for the database's writer other than rows (a purge): runs between two batches. */
  @FunctionalInterface
  interface Chore<T> {
    T run() throws SQLException;
  }

  /** A row to write, or a chore ({@code row} null) to run once the rows ahead of it are. */
  private record Pending(
      AnalyticsRow row, CompletableFuture<Boolean> future, int permits, Runnable chore) {
    Pending(AnalyticsRow row, CompletableFuture<Boolean> future, int permits) {
      this(row, future, permits, null);
    }
  }

  private static final Pending STOP = new Pending(null, new CompletableFuture<>(), 0);

  private final BatchWriter writer;
  private final int maxBatch;
  private final long lingerNanos;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Semaphore slots; // rows queued or being written
  private final Semaphore budget; // KiB of rows queued or being written
  private final int budgetPermits;
  private final ReentrantReadWriteLock accepting = new ReentrantReadWriteLock();
  private volatile boolean closing; // written under the write lock
  private final int queueRows;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private Thread thread;
  private boolean stopped; // confined to the appender thread

  AnalyticsAppender(
      BatchWriter writer, int maxBatch, Duration linger, int queueRows, long queueBytes) {
    this.writer = writer;
    this.maxBatch = maxBatch;
    this.lingerNanos = linger.toNanos();
    this.queueRows = queueRows;
    this.slots = new Semaphore(queueRows);
    this.budgetPermits = (int) Math.min(Integer.MAX_VALUE, queueBytes / KIB);
    this.budget = new Semaphore(budgetPermits);
  }

  /** Starts the appender thread: a platform thread, as DuckDB calls are native. */
  void start(String threadName) {
    thread = Thread.ofPlatform().name(threadName).daemon(true).start(this::loop);
  }

  /**
   * Queues a row, waiting up to {@code maxWait} for room; returns the future of its commit.
   *
   * @throws AnalyticsUnavailableException when there was no room in time, or the caller was
   *     interrupted
   * @throws AnalyticsClosedException after {@link #close} started
   */
  CompletableFuture<Boolean> submit(AnalyticsRow row, Duration maxWait) {
    int permits = (int) Math.min(budgetPermits, Math.max(1, row.weight() / KIB));
    Pending pending = new Pending(row, new CompletableFuture<>(), permits);
    long deadline = System.nanoTime() + Math.max(0, maxWait.toNanos());
    accepting.readLock().lock();
    try {
      if (closing) {
        throw closed();
      }
      if (!slots.tryAcquire(remaining(deadline), TimeUnit.NANOSECONDS)) {
        throw full(maxWait);
      }
      if (!budget.tryAcquire(permits, remaining(deadline), TimeUnit.NANOSECONDS)) {
        slots.release();
        throw full(maxWait);
      }
      queue.add(pending);
      return pending.future();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnalyticsUnavailableException("interrupted while queueing an analytics row", e);
    } finally {
      accepting.readLock().unlock();
    }
  }

  /**
   * Queues {@code chore} for the appender thread, behind the rows accepted so far; returns the
   * future of its result. It fails with {@link AnalyticsUnavailableException} when the chore throws
   * {@link SQLException}.
   *
   * @throws AnalyticsClosedException after {@link #close} started
   */
  <T> CompletableFuture<T> submitChore(Chore<T> chore) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable run =
        () -> {
          try {
            result.complete(chore.run());
          } catch (SQLException e) {
            result.completeExceptionally(unavailable(e));
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        };
    accepting.readLock().lock();
    try {
      if (closing) {
        throw closed();
      }
      queue.add(new Pending(null, new CompletableFuture<>(), 0, run));
      return result;
    } finally {
      accepting.readLock().unlock();
    }
  }

  /** What the appender has done so far. */
  AnalyticsStats stats() {
    return new AnalyticsStats(
        queueRows - slots.availablePermits(),
        batches.get(),
        stored.get(),
        duplicates.get(),
        failed.get());
  }

  /** Commits every row accepted so far, then stops the appender thread. Idempotent. */
  @Override
  public void close() {
    accepting.writeLock().lock();
    try {
      if (closing) {
        return;
      }
      closing = true;
      queue.add(STOP); // every accepted row is ahead of it
    } finally {
      accepting.writeLock().unlock();
    }
    if (thread != null) {
      joinUninterruptibly(thread);
    } else {
      while (!stopped) {
        runOnce();
      }
    }
  }

  /**
   * Takes and writes one batch of what is queued now, on the calling thread (tests drive a writer
   * that was not started this way); returns how many rows and chores it took.
   */
  int runOnce() {
    List<Pending> batch = new ArrayList<>();
    queue.drainTo(batch, maxBatch);
    return runBatch(batch);
  }

  private void loop() {
    while (!stopped) {
      List<Pending> batch = new ArrayList<>();
      try {
        batch.add(queue.take());
        fill(batch);
      } catch (InterruptedException e) {
        // only close() stops the appender, through the queue, so accepted rows never hang
        log.warn("analytics appender interrupted; ignored, it stops only when the store closes");
      }
      runBatch(batch);
    }
  }

  private void fill(List<Pending> batch) throws InterruptedException {
    queue.drainTo(batch, maxBatch - batch.size());
    long deadline = System.nanoTime() + lingerNanos;
    while (lingerNanos > 0 && batch.size() < maxBatch && !batch.contains(STOP)) {
      Pending next = queue.poll(remaining(deadline), TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      batch.add(next);
      queue.drainTo(batch, maxBatch - batch.size());
    }
  }

  /**
   * Writes the rows of {@code batch} up to a {@link #STOP} (after which nothing is queued), in
   * batches split at each chore, which runs once the rows ahead of it are written; returns how many
   * rows and chores it took.
   */
  private int runBatch(List<Pending> batch) {
    List<Pending> rows = new ArrayList<>();
    int taken = 0;
    for (Pending p : batch) {
      if (p == STOP) {
        stopped = true;
        break;
      }
      taken++;
      if (p.chore() == null) {
        rows.add(p);
        continue;
      }
      writeRows(rows);
      rows.clear();
      p.chore().run();
    }
    writeRows(rows);
    return taken;
  }

  private void writeRows(List<Pending> work) {
    try {
      write(work);
    } catch (RuntimeException | Error e) {
      // a bug, not a database failure: fail the batch and keep the thread alive
      log.error("analytics appender failed on a batch of {} rows", work.size(), e);
      work.stream().filter(p -> !p.future().isDone()).forEach(p -> fail(p, e));
    } finally {
      if (!work.isEmpty()) {
        batches.incrementAndGet();
      }
      work.forEach(p -> budget.release(p.permits()));
      slots.release(work.size());
    }
  }

  /**
   * Answers a row: counted first, then completed, so that whoever sees the answer also sees the row
   * in {@link #stats} (a metrics scrape right after a delivery counts its row).
   */
  private void answer(Pending p, boolean stored) {
    (stored ? this.stored : duplicates).incrementAndGet();
    p.future().complete(stored);
  }

  private void fail(Pending p, Throwable e) {
    failed.incrementAndGet();
    p.future().completeExceptionally(e);
  }

  private void write(List<Pending> work) {
    if (work.isEmpty()) {
      return;
    }
    Map<String, Pending> first = new LinkedHashMap<>();
    List<Pending> repeats = new ArrayList<>();
    for (Pending p : work) {
      if (first.putIfAbsent(p.row().deliveryKey(), p) != null) {
        repeats.add(p);
      }
    }
    try {
      Set<String> stored = writer.write(first.values().stream().map(Pending::row).toList());
      first.values().forEach(p -> answer(p, stored.contains(p.row().deliveryKey())));
      repeats.forEach(p -> answer(p, false));
    } catch (SQLException e) {
      if (!isRowError(e)) {
        log.warn("analytics batch of {} rows failed: {}", work.size(), e.toString());
        work.forEach(p -> fail(p, unavailable(e)));
        return;
      }
      if (work.size() == 1) {
        fail(work.getFirst(), refused(e));
        return;
      }
      log.warn(
          "analytics batch of {} rows failed ({}); writing them one at a time",
          work.size(),
          e.toString());
      writeOneByOne(work);
    }
  }

  private void writeOneByOne(List<Pending> work) {
    SQLException systemic = null;
    for (Pending p : work) {
      if (systemic != null) {
        fail(p, unavailable(systemic));
        continue;
      }
      try {
        answer(p, !writer.write(List.of(p.row())).isEmpty());
      } catch (SQLException e) {
        if (isRowError(e)) {
          fail(p, refused(e));
        } else {
          fail(p, unavailable(e));
          systemic = e; // the database, not this row: the rest would fail the same way
        }
      }
    }
  }

  /**
   * Whether {@code e} blames the data written rather than the database: SQLSTATE class 22 (data
   * exception) or 23 (integrity constraint), or, as DuckDB sets no SQLSTATE, its conversion,
   * constraint and invalid-input errors.
   */
  static boolean isRowError(SQLException e) {
    String state = e.getSQLState();
    if (state != null) {
      return state.startsWith("22") || state.startsWith("23");
    }
    String message = String.valueOf(e.getMessage());
    return message.startsWith("Conversion Error")
        || message.startsWith("Constraint Error")
        || message.startsWith("Invalid Input Error");
  }

  private static AnalyticsUnavailableException unavailable(SQLException e) {
    return new AnalyticsUnavailableException("cannot write to the analytics store: " + e, e);
  }

  /** A row the database refused alone: it never can be stored as it is. */
  private static UnstorableException refused(SQLException e) {
    return new UnstorableException("the analytics store refused the row: " + e, e);
  }

  private static AnalyticsUnavailableException full(Duration maxWait) {
    return new AnalyticsUnavailableException(
        "the analytics store's queue stayed full for " + maxWait.toMillis() + " ms");
  }

  private static AnalyticsClosedException closed() {
    return new AnalyticsClosedException("the analytics store is closed and takes no more rows");
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static void joinUninterruptibly(Thread appender) {
    boolean interrupted = false;
    while (true) {
      try {
        appender.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
