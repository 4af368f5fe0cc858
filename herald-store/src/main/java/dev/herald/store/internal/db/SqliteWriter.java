package dev.herald.store.internal.db;

import dev.herald.store.StoreClosedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of an SQLite file: it owns the write connection and commits queued writes in
 * batches.
 *
 * <p>Each batch takes the next queued write and up to {@code maxBatch - 1} more, runs them in one
 * {@code BEGIN IMMEDIATE} transaction, each inside its own savepoint, and commits once. A write
 * that throws is rolled back to its savepoint and fails its own future only; the others commit.
 * Futures of successful writes complete after the commit. If the batch itself fails (begin, a
 * savepoint or the commit), it is rolled back and each write not yet failed runs again alone.
 *
 * <p><b>Thread safety.</b> {@link #submit} and {@link #close} may be called from any thread; the
 * queue is the hand-off, and a lock orders every accepted write before the stop marker, so a write
 * is either rejected or run. Only the writer thread touches the connection, or, when {@link #start}
 * was not called, the thread that calls {@link #runOnce} (tests drive batches that way).
 */
final class SqliteWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SqliteWriter.class);

  /** Marks the end of accepted writes in the queue. */
  private static final Task<Void> STOP = new Task<>(c -> null, new CompletableFuture<>());

  private final Connection connection;
  private final int maxBatch;
  private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
  private final ReentrantLock accepting = new ReentrantLock(); // orders submits before STOP
  private boolean closing; // guarded by accepting
  private volatile Thread thread;
  private boolean stopped; // confined to the thread that runs batches
  private Savepoints savepoints; // confined to the thread that runs batches

  /** A write and the future of its result. */
  private record Task<T>(SqlFunction<T> work, CompletableFuture<T> future) {}

  /**
   * @param connection an SQLite connection in auto-commit mode, owned by this writer from now on
   * @param maxBatch the most writes committed in one transaction
   */
  SqliteWriter(Connection connection, int maxBatch) throws SQLException {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
    }
    connection.setAutoCommit(true); // transactions are begun and ended by explicit statements
    this.connection = connection;
    this.maxBatch = maxBatch;
  }

  /** Starts the writer thread, a platform thread since SQLite calls are native. */
  void start(String threadName) {
    thread = Thread.ofPlatform().name(threadName).daemon(true).start(this::loop);
  }

  /** Queues a write; the future completes once it committed, or fails with its own error. */
  <T> CompletableFuture<T> submit(SqlFunction<T> work) {
    CompletableFuture<T> future = new CompletableFuture<>();
    accepting.lock();
    try {
      if (closing) {
        future.completeExceptionally(closed());
      } else {
        queue.add(new Task<>(work, future));
      }
    } finally {
      accepting.unlock();
    }
    return future;
  }

  /**
   * Runs one batch of what is queued now, on the calling thread. The writer thread calls it in its
   * loop; tests call it directly on a writer that was not started.
   *
   * @return how many writes ran
   */
  int runOnce() {
    List<Task<?>> batch = new ArrayList<>(maxBatch);
    queue.drainTo(batch, maxBatch);
    return runBatch(batch);
  }

  /** Runs every write accepted so far, stops the writer and closes the connection. */
  @Override
  public void close() {
    accepting.lock();
    try {
      if (closing) {
        return;
      }
      closing = true;
      queue.add(STOP); // every accepted write is ahead of it
    } finally {
      accepting.unlock();
    }
    Thread writer = thread;
    if (writer == null) {
      while (!stopped) {
        runOnce();
      }
    } else {
      joinUninterruptibly(writer);
    }
    failQueued(); // none expected: nothing is queued after STOP
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("closing the SQLite write connection failed: {}", e.toString());
    }
  }

  private void loop() {
    log.debug("SQLite writer started");
    while (!stopped) {
      List<Task<?>> batch = new ArrayList<>(maxBatch);
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        // only close() stops the writer, through the queue, so accepted writes never hang
        log.warn("SQLite writer interrupted; ignored, it stops only when the store closes");
        continue;
      }
      queue.drainTo(batch, maxBatch - 1);
      runBatch(batch);
    }
    log.debug("SQLite writer stopped");
  }

  private int runBatch(List<Task<?>> batch) {
    int stop = batch.indexOf(STOP);
    List<Task<?>> work = stop < 0 ? batch : batch.subList(0, stop);
    if (stop >= 0) {
      stopped = true;
      batch
          .subList(stop + 1, batch.size())
          .forEach(t -> t.future().completeExceptionally(closed()));
    }
    try {
      execute(work);
    } catch (RuntimeException | Error e) {
      // a bug in this class, not in a write: fail what is unfinished and keep the thread alive
      log.error("SQLite writer failed on a batch of {} writes", work.size(), e);
      rollbackQuietly();
      work.forEach(t -> t.future().completeExceptionally(e));
    }
    return work.size();
  }

  private void execute(List<Task<?>> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    List<Runnable> completions = new ArrayList<>(tasks.size());
    try (Statement tx = connection.createStatement()) {
      tx.execute("BEGIN IMMEDIATE");
      for (Task<?> task : tasks) {
        runInSavepoint(task, completions);
      }
      tx.execute("COMMIT");
    } catch (SQLException e) {
      rollbackQuietly();
      log.warn(
          "SQLite batch of {} writes failed ({}); running them one at a time",
          tasks.size(),
          e.toString());
      tasks.stream().filter(t -> !t.future().isDone()).forEach(this::runAlone);
      return;
    }
    completions.forEach(Runnable::run);
    log.debug("SQLite writer committed a batch of {} writes", tasks.size());
  }

  private <T> void runInSavepoint(Task<T> task, List<Runnable> completions) throws SQLException {
    savepoints().savepoint().execute();
    T result;
    try {
      result = task.work().apply(connection);
    } catch (SQLException | RuntimeException e) {
      task.future().completeExceptionally(e);
      savepoints().rollback().execute();
      savepoints().release().execute();
      return;
    }
    savepoints().release().execute();
    completions.add(() -> task.future().complete(result));
  }

  /** The savepoint statements, prepared once: compiling them for every write cost as much. */
  private record Savepoints(
      PreparedStatement savepoint, PreparedStatement release, PreparedStatement rollback) {}

  private Savepoints savepoints() throws SQLException {
    if (savepoints == null) {
      savepoints =
          new Savepoints(
              connection.prepareStatement("SAVEPOINT write_op"),
              connection.prepareStatement("RELEASE write_op"),
              connection.prepareStatement("ROLLBACK TO write_op"));
    }
    return savepoints;
  }

  private <T> void runAlone(Task<T> task) {
    try (Statement tx = connection.createStatement()) {
      tx.execute("BEGIN IMMEDIATE");
      T result = task.work().apply(connection);
      tx.execute("COMMIT");
      task.future().complete(result);
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      task.future().completeExceptionally(e);
    }
  }

  private void rollbackQuietly() {
    try (Statement tx = connection.createStatement()) {
      tx.execute("ROLLBACK");
    } catch (SQLException e) {
      log.debug("rollback after a failed batch: {}", e.toString()); // often: no transaction active
    }
  }

  private void failQueued() {
    List<Task<?>> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(t -> t.future().completeExceptionally(closed()));
  }

  private static StoreClosedException closed() {
    return new StoreClosedException("the SQLite state store is closed and takes no more writes");
  }

  private static void joinUninterruptibly(Thread writer) {
    boolean interrupted = false;
    while (true) {
      try {
        writer.join();
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
