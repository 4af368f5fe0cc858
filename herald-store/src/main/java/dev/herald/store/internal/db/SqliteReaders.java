package dev.herald.store.internal.db;

import dev.herald.store.StoreClosedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reads of an SQLite file on a fixed pool of platform threads (SQLite calls are native and
 * would pin a virtual thread's carrier), with as many read-only connections as threads.
 *
 * <p><b>Thread safety.</b> {@link #submit} and {@link #close} may be called from any thread. A pool
 * thread takes a connection from the idle queue for the duration of one read and puts it back;
 * since there are as many connections as threads, a connection is always free and never shared.
 */
final class SqliteReaders implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SqliteReaders.class);

  /** Opens one read connection. */
  @FunctionalInterface
  interface Opener {
    Connection open() throws SQLException;
  }

  private final ExecutorService threads;
  private final BlockingQueue<Connection> idle;
  private final List<Connection> all;

  private SqliteReaders(ExecutorService threads, List<Connection> connections) {
    this.threads = threads;
    this.all = List.copyOf(connections);
    this.idle = new LinkedBlockingQueue<>(connections);
  }

  /** Opens {@code size} read connections and starts as many platform threads. */
  static SqliteReaders open(Opener opener, int size, String threadName) throws SQLException {
    List<Connection> connections = new ArrayList<>(size);
    try {
      for (int i = 0; i < size; i++) {
        connections.add(opener.open());
      }
    } catch (SQLException e) {
      closeAll(connections);
      throw e;
    }
    ThreadFactory factory = Thread.ofPlatform().name(threadName + "-", 0).daemon(true).factory();
    return new SqliteReaders(Executors.newFixedThreadPool(size, factory), connections);
  }

  /** Runs {@code work} on a pool thread with an idle read connection. */
  <T> CompletableFuture<T> submit(SqlFunction<T> work) {
    CompletableFuture<T> future = new CompletableFuture<>();
    try {
      threads.execute(() -> run(work, future));
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(
          new StoreClosedException("the SQLite state store is closed and takes no more reads"));
    }
    return future;
  }

  private <T> void run(SqlFunction<T> work, CompletableFuture<T> future) {
    Connection connection = idle.poll();
    if (connection == null) { // cannot happen: as many connections as threads
      future.completeExceptionally(new IllegalStateException("no idle SQLite read connection"));
      return;
    }
    try {
      future.complete(work.apply(connection));
    } catch (SQLException | RuntimeException e) {
      future.completeExceptionally(e);
    } finally {
      idle.add(connection);
    }
  }

  /** Finishes the reads already submitted, then closes the connections. */
  @Override
  public void close() {
    threads.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (threads.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
        log.warn("SQLite reads still running after a minute; still waiting to close");
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    closeAll(all);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeAll(List<Connection> connections) {
    for (Connection connection : connections) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.warn("closing an SQLite read connection failed: {}", e.toString());
      }
    }
  }
}
