package dev.herald.analytics.internal;

import dev.herald.analytics.AnalyticsClosedException;
import dev.herald.analytics.AnalyticsConfig;
import dev.herald.analytics.AnalyticsRow;
import dev.herald.analytics.AnalyticsStats;
import dev.herald.analytics.AnalyticsStore;
import dev.herald.analytics.AnalyticsUnavailableException;
import dev.herald.api.UnstorableException;
import dev.herald.core.analytics.CountQuery;
import dev.herald.core.analytics.CountSeries;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AnalyticsStore}: opens its {@link AnalyticsDatabase} on first use, on a platform
 * thread of its own, then hands rows to the {@link AnalyticsAppender} and queries to the database.
 *
 * <p><b>Thread safety.</b> The open attempt (a future of the running database and appender) and the
 * closed flag are guarded by {@code lock}; callers wait for the future outside it. A failed attempt
 * is replaced by a new one on the next call.
 */
final class LazyAnalyticsStore implements AnalyticsStore {
  private static final Logger log = LoggerFactory.getLogger(LazyAnalyticsStore.class);

  /** How long {@link #submit} and {@link #counts} wait for the database to open or for room. */
  static final Duration NO_DEADLINE = Duration.ofDays(365);

  /** Opens the database; runs on the opening thread. */
  @FunctionalInterface
  interface Opener {
    AnalyticsDatabase open();
  }

  private record Running(AnalyticsDatabase db, AnalyticsAppender appender) {}

  private final String kind;
  private final AnalyticsConfig config;
  private final Opener opener;
  private final InstantSource clock;
  private final Object lock = new Object();
  private CompletableFuture<Running> running; // guarded by lock
  private boolean closed; // guarded by lock

  LazyAnalyticsStore(String kind, AnalyticsConfig config, Opener opener, InstantSource clock) {
    this.kind = kind;
    this.config = config;
    this.opener = opener;
    this.clock = clock;
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public void prepare() {
    var unused = opening(); // its outcome is the next call's: that one waits for it or retries
  }

  @Override
  public CompletableFuture<Boolean> submit(AnalyticsRow row) {
    Objects.requireNonNull(row, "row");
    return await(opening(), NO_DEADLINE).appender().submit(row, NO_DEADLINE);
  }

  @Override
  public boolean append(AnalyticsRow row, Instant deadline) {
    Objects.requireNonNull(row, "row");
    Running now = await(opening(), untilDeadline(deadline));
    return await(now.appender().submit(row, untilDeadline(deadline)), untilDeadline(deadline));
  }

  @Override
  public List<CountSeries> counts(CountQuery query) {
    Objects.requireNonNull(query, "query");
    Running now = await(opening(), NO_DEADLINE);
    try {
      return now.db().counts(query);
    } catch (SQLException e) {
      throw new AnalyticsUnavailableException("cannot query the analytics store: " + e, e);
    }
  }

  @Override
  public long purgeBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    return opened()
        .map(
            now ->
                await(now.appender().submitChore(() -> now.db().purgeBefore(cutoff)), NO_DEADLINE))
        .orElse(0L);
  }

  @Override
  public AnalyticsStats stats() {
    return opened().map(now -> now.appender().stats()).orElse(AnalyticsStats.NONE);
  }

  /** The database and appender if the store has opened (and not closed); never opens it. */
  private Optional<Running> opened() {
    CompletableFuture<Running> now;
    synchronized (lock) {
      now = closed ? null : running;
    }
    return now != null && now.isDone() && !now.isCompletedExceptionally()
        ? Optional.of(now.join())
        : Optional.empty();
  }

  @Override
  public void close() {
    CompletableFuture<Running> last;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      last = running;
    }
    if (last == null) {
      return; // never opened
    }
    Running open;
    try {
      open = last.join();
    } catch (RuntimeException e) {
      return; // the last attempt failed: nothing is open
    }
    open.appender().close();
    open.db().close();
    log.info("analytics store closed: {}", kind);
  }

  /** The current open attempt, started now if there is none or the last one failed. */
  private CompletableFuture<Running> opening() {
    synchronized (lock) {
      if (closed) {
        throw new AnalyticsClosedException("the analytics store is closed");
      }
      if (running == null || running.isCompletedExceptionally()) {
        CompletableFuture<Running> attempt = new CompletableFuture<>();
        running = attempt;
        Thread.ofPlatform().name("herald-analytics-open").daemon(true).start(() -> open(attempt));
      }
      return running;
    }
  }

  private void open(CompletableFuture<Running> attempt) {
    try {
      long started = System.nanoTime();
      AnalyticsDatabase db = opener.open();
      AnalyticsAppender appender =
          new AnalyticsAppender(
              db::writeBatch,
              config.maxBatchRows(),
              config.maxLinger(),
              config.queueRows(),
              config.queueBytes());
      appender.start("herald-analytics-appender");
      log.info(
          "analytics store opened: {} in {} ms",
          config,
          Duration.ofNanos(System.nanoTime() - started).toMillis());
      attempt.complete(new Running(db, appender));
    } catch (RuntimeException | Error e) {
      log.warn("cannot open the analytics store {}: {}", config, e.toString());
      attempt.completeExceptionally(e);
    }
  }

  private Duration untilDeadline(Instant deadline) {
    return Duration.between(clock.instant(), deadline);
  }

  private static <T> T await(CompletableFuture<T> future, Duration maxWait) {
    try {
      return future.get(Math.max(0, maxWait.toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new AnalyticsUnavailableException(
          "the analytics store did not answer within " + maxWait.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnalyticsUnavailableException(
          "interrupted while waiting for the analytics store", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AnalyticsUnavailableException
          || cause instanceof AnalyticsClosedException
          || cause instanceof UnstorableException) {
        throw (RuntimeException) cause;
      }
      throw new AnalyticsUnavailableException("the analytics store failed: " + cause, cause);
    }
  }
}
