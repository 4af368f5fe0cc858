package dev.herald.analytics;

import dev.herald.analytics.internal.AnalyticsStoreFactory;
import dev.herald.core.analytics.CountQuery;
import dev.herald.core.analytics.CountSeries;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Herald's analytics store: every event delivered to an {@code analytics} target (raw rows with the
 * envelope) and per-minute counts by (bus, source, detail type), in a DuckDB file (embedded mode)
 * or in the state store's PostgreSQL database (cluster mode, tables {@code analytics_*}).
 *
 * <p><b>Exactly once.</b> The store keeps a table of delivery keys and commits each row's key with
 * the row and its count, in one transaction (PostgreSQL's key table has a primary key; DuckDB's has
 * none, as DuckDB keeps indexes whole in memory: its only writer looks keys up by ingestion time).
 * A row whose key is already stored is skipped and not counted again: a delivery retried after a
 * timeout, or delivered again after a crash, counts once. The key decides: a replay, which Herald
 * gives new delivery keys, counts again.
 *
 * <p><b>Opening.</b> {@link #open} returns at once; the database opens on the first {@link
 * #prepare}, append or query (DuckDB's native library takes about half a second to load). If it
 * fails to open, the call fails with {@link AnalyticsUnavailableException} and the next call tries
 * again.
 *
 * <p><b>Threads.</b> Every method is safe to call from any number of threads, virtual threads
 * included. Rows go through a bounded queue to one platform thread, the appender, which commits
 * them in batches (one transaction per batch); a caller that finds the queue full waits. DuckDB
 * queries run on a small pool of platform threads (native calls would pin a virtual thread's
 * carrier); PostgreSQL queries run on the calling thread with a pooled connection.
 */
public interface AnalyticsStore extends AutoCloseable {

  /**
   * The store {@code config} names, not opened yet (see the class comment); {@code clock} is the
   * one deadlines given to {@link #append} are measured with.
   */
  static AnalyticsStore open(AnalyticsConfig config, InstantSource clock) {
    return AnalyticsStoreFactory.create(config, clock);
  }

  /** {@code "duckdb"} or {@code "postgresql"}. */
  String kind();

  /**
   * Starts opening the database in the background, if it is not open or opening; returns at once.
   */
  void prepare();

  /**
   * Queues a row for the appender and returns the future of its commit: {@code true} when the row
   * was stored and counted, {@code false} when its delivery key was already stored. Blocks while
   * the queue is full. The future fails with {@link AnalyticsUnavailableException} when the batch
   * could not be committed, {@link dev.herald.api.UnstorableException} when the database refused
   * this row for what it holds (its batch-mates are stored without it), or {@link
   * AnalyticsClosedException} when the store closed first.
   */
  CompletableFuture<Boolean> submit(AnalyticsRow row);

  /**
   * Appends a row and returns once it committed: {@code true} when it was stored and counted,
   * {@code false} when its delivery key was already stored.
   *
   * @throws AnalyticsUnavailableException when it could not be committed, or not by {@code
   *     deadline}; a row given up on at its deadline may still commit later, and count once
   * @throws dev.herald.api.UnstorableException when the database refused the row for what it holds
   */
  boolean append(AnalyticsRow row, Instant deadline);

  /**
   * The counts {@code query} asks for, from the per-minute counts: at most {@link CountQuery#top()}
   * series, highest total first (ties by key).
   */
  List<CountSeries> counts(CountQuery query);

  /**
   * Deletes the raw rows of the events ingested before {@code cutoff}, and their delivery keys
   * (redeliveries of them would count again: purge only past every redelivery); the per-minute
   * counts stay, so counts of purged times still answer. Runs on the appender thread between
   * batches and returns the raw rows deleted, or 0 at once when the store has not opened (a purge
   * does not open it).
   *
   * @throws AnalyticsUnavailableException when the purge failed (nothing of it, or a part, is done)
   */
  long purgeBefore(Instant cutoff);

  /** What the appender has done so far; never opens the store ({@link AnalyticsStats#NONE}). */
  AnalyticsStats stats();

  /**
   * Commits the rows already queued, then closes the database. Calls made after close starts throw
   * {@link AnalyticsClosedException}. Closing twice does nothing.
   */
  @Override
  void close();
}
