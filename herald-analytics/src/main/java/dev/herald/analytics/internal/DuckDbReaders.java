package dev.herald.analytics.internal;

import dev.herald.analytics.AnalyticsClosedException;
import dev.herald.analytics.AnalyticsUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queries of the DuckDB analytics database on a fixed pool of platform threads (DuckDB calls
 * are native and would pin a virtual thread's carrier), with as many connections as threads.
 *
 * <p>The connections are in auto-commit mode: each query sees the batches committed before it.
 *
 * <p><b>Thread safety.</b> {@link #read} and {@link #close} may be called from any thread. A pool
 * thread takes an idle connection for one query and puts it back; with as many connections as
 * threads, one is always free and none is shared.
 */
final class DuckDbReaders implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DuckDbReaders.class);

  /**
   * A query run with a connection lent for the call; it must not keep the connection or change
   * auto-commit.
   */
  @FunctionalInterface
  interface Query<T> {
    T apply(Connection connection) throws SQLException;
  }

  private final ExecutorService threads;
  private final BlockingQueue<Connection> idle;
  private final List<Connection> all;

  private DuckDbReaders(ExecutorService threads, List<Connection> connections) {
    this.threads = threads;
    this.all = List.copyOf(connections);
    this.idle = new LinkedBlockingQueue<>(connections);
  }

  /** Opens {@code size} connections to the database of {@code writer} and as many threads. */
  static DuckDbReaders open(DuckDBConnection writer, int size) throws SQLException {
    List<Connection> connections = new ArrayList<>(size);
    try {
      for (int i = 0; i < size; i++) {
        Connection connection = writer.duplicate();
        connections.add(connection);
        // a duplicate inherits the writer's manual commit, and its first query would then open a
        // transaction that never ends: every later query would see that first snapshot
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      connections.forEach(DuckDbReaders::closeQuietly);
      throw e;
    }
    return new DuckDbReaders(
        Executors.newFixedThreadPool(
            size, Thread.ofPlatform().name("herald-analytics-read-", 0).daemon(true).factory()),
        connections);
  }

  /** Runs {@code work} on a pool thread and waits for its result. */
  <T> T read(Query<T> work) throws SQLException {
    Future<T> result;
    try {
      result = threads.submit(() -> run(work));
    } catch (RejectedExecutionException e) {
      throw new AnalyticsClosedException("the analytics store is closed and takes no more queries");
    }
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnalyticsUnavailableException("interrupted while querying the analytics store", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new AnalyticsUnavailableException("the analytics query failed: " + e.getCause(), e);
    }
  }

  private <T> T run(Query<T> work) throws SQLException {
    Connection connection = idle.poll();
    if (connection == null) { // cannot happen: as many connections as threads
      throw new IllegalStateException("no idle DuckDB connection");
    }
    try {
      return work.apply(connection);
    } finally {
      idle.add(connection);
    }
  }

  /** Finishes the queries already submitted, then closes the connections. */
  @Override
  public void close() {
    threads.shutdown();
    try {
      if (!threads.awaitTermination(1, TimeUnit.MINUTES)) {
        log.warn("analytics queries still running after a minute; closing their connections");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    all.forEach(DuckDbReaders::closeQuietly);
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("closing a DuckDB read connection failed: {}", e.toString());
    }
  }
}
