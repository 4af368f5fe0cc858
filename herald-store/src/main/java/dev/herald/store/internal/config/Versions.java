package dev.herald.store.internal.config;

import dev.herald.core.config.ConfigException;
import dev.herald.store.StoreUnavailableException;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.Sql;
import dev.herald.store.internal.db.SqlErrors;
import dev.herald.store.internal.db.SqlFunction;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned writes of configuration objects: the {@code If-Match} check, and optimistic concurrency
 * for writers that do not share one connection (several Herald instances, or pooled connections, on
 * one PostgreSQL).
 *
 * <p>A versioned write reads the stored version, checks {@code If-Match} against it, then writes
 * with {@code ... WHERE version = <the version read>}. When another writer got there first, the
 * write fails with a unique violation (both created the object), a foreign key violation (a
 * referenced object went away, or a new reference arrived) or {@link ConcurrentChange} (the
 * conditional update matched no row); {@link #write} then runs it again in a new transaction, where
 * the checks see the other writer's result and answer for it. On SQLite, with its single writer,
 * this never happens. Stateless.
 */
final class Versions {
  private static final Logger log = LoggerFactory.getLogger(Versions.class);

  /** Attempts of one write while concurrent writers keep changing the same rows. */
  static final int MAX_ATTEMPTS = 20;

  /** A conditional update found another version than the one read: run the write again. */
  static final class ConcurrentChange extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConcurrentChange(String what) {
      super(what + " changed concurrently", null, false, false);
    }
  }

  private Versions() {}

  /**
   * Checks {@code If-Match}: when given, the stored version must equal it; {@code actual} is 0 for
   * an object that does not exist.
   *
   * @throws ConfigException.VersionMismatch when it does not
   */
  static void checkIfMatch(String what, OptionalLong ifMatch, long actual) {
    if (ifMatch.isPresent() && ifMatch.getAsLong() != actual) {
      throw new ConfigException.VersionMismatch(what, ifMatch.getAsLong(), actual);
    }
  }

  /** The version a {@code SELECT version ...} finds, 0 when it finds no row. */
  static long current(Connection c, String sql, Sql.Binder binder) throws SQLException {
    return Sql.first(c, sql, binder, row -> row.getLong(1)).orElse(0L);
  }

  /** Fails the write so that {@link #write} runs it again, unless {@code updated} is 1. */
  static void requireUpdated(int updated, String what) {
    if (updated != 1) {
      throw new ConcurrentChange(what);
    }
  }

  /** Runs a versioned write, again while it loses races with concurrent writers (see above). */
  static <T> T write(Database db, String what, SqlFunction<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return db.write(work);
      } catch (SQLException e) {
        if (attempt >= MAX_ATTEMPTS
            || !(SqlErrors.isUniqueViolation(e) || SqlErrors.isForeignKeyViolation(e))) {
          throw e;
        }
        log.debug("{}: lost a race with another writer ({}), attempt {}", what, e, attempt);
      } catch (ConcurrentChange e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw new StoreUnavailableException(
              what + " kept changing concurrently; gave up after " + attempt + " attempts", e);
        }
        log.debug("{}: changed concurrently, attempt {}", what, attempt);
      }
      pause(attempt, what);
    }
  }

  private static void pause(int attempt, String what) {
    try {
      int boundMillis = Math.min(1 << Math.min(attempt, 7), 100); // exponential, full jitter
      Thread.sleep(ThreadLocalRandom.current().nextInt(1, 1 + boundMillis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while retrying: " + what, e);
    }
  }

  /** The stored form of a put's {@code changedBy}: NULL when it names nobody. */
  static String changedBy(String changedBy) {
    return changedBy.isEmpty() ? null : changedBy;
  }
}
