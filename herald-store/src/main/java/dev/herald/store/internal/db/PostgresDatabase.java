package dev.herald.store.internal.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.store.StoreClosedException;
import dev.herald.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster store: a PostgreSQL database reached through a small HikariCP pool.
 *
 * <p><b>Thread safety.</b> Any thread may call {@link #read} and {@link #write}; each call borrows
 * a pooled connection for its duration on the calling thread (network waits suit virtual threads),
 * and each write is one transaction.
 */
public final class PostgresDatabase implements Database {
  private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);

  static final int POOL_SIZE = 8;
  static final long CONNECTION_TIMEOUT_MILLIS = 5_000;

  private final HikariDataSource pool;
  private final String safeUrl;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PostgresDatabase(HikariDataSource pool, String safeUrl) {
    this.pool = pool;
    this.safeUrl = safeUrl;
  }

  /** Connects to {@code url}, migrates the schema and returns the open database. */
  public static PostgresDatabase open(String url) {
    HikariDataSource pool = pool(url, "herald-store", POOL_SIZE, "state store");
    try {
      Migrations.apply(pool, "postgresql");
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new PostgresDatabase(pool, withoutQuery(url));
  }

  /**
   * A connection pool of {@code size} to {@code url}, connected once.
   *
   * @throws StoreUnavailableException naming {@code what} ("state store") when it cannot connect
   */
  static HikariDataSource pool(String url, String name, int size, String what) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setPoolName(name);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException(
          "cannot connect to the PostgreSQL "
              + what
              + " at "
              + withoutQuery(url)
              + ": "
              + rootCause(e),
          e);
    }
  }

  @Override
  public String kind() {
    return "postgresql";
  }

  @Override
  public <T> T read(SqlFunction<T> work) throws SQLException {
    checkOpen();
    try (Connection connection = pool.getConnection()) {
      return work.apply(connection);
    }
  }

  @Override
  public <T> T write(SqlFunction<T> work) throws SQLException {
    checkOpen();
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.apply(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(connection, e);
        throw e;
      } // the pool restores auto-commit when the connection returns
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      pool.close();
      log.info("PostgreSQL state store {} closed", safeUrl);
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new StoreClosedException("the PostgreSQL state store " + safeUrl + " is closed");
    }
  }

  private static void rollback(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static String rootCause(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null) { // a Throwable that is its own cause answers null
      root = root.getCause();
    }
    return root.toString();
  }

  /** The url without its query string, where credentials usually sit: safe to log. */
  static String withoutQuery(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?...";
  }
}
