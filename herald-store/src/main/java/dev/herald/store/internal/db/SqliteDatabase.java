package dev.herald.store.internal.db;

import dev.herald.store.StoreClosedException;
import dev.herald.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded store: one SQLite file in WAL mode ({@code synchronous=NORMAL}, foreign keys on).
 * Writes go to the single batching {@link SqliteWriter}; reads go to {@link SqliteReaders}.
 *
 * <p><b>Thread safety.</b> Any thread may call {@link #read} and {@link #write}: the calling thread
 * only hands the work over and waits for its future, so virtual threads never run native SQLite
 * code. Read connections see every write whose future completed (WAL, auto-commit reads).
 */
public final class SqliteDatabase implements Database {
  private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);

  static final int READ_CONNECTIONS = 4;
  static final int MAX_BATCH = 256;
  static final int BUSY_TIMEOUT_MILLIS = 5_000;

  /**
   * Pages of write-ahead log after which a commit copies the log back into the database (SQLite's
   * default is 1,000, 4 MB). Queue rows, journal and retry rows are written again and again within
   * seconds (enqueued, leased, deleted), and a checkpoint copies each page once however many times
   * the log holds it: with this longer log the writer thread used a quarter less CPU (QueueBench,
   * docs/benchmarks.md). The log file grows to about 32 MB on disk, and is reused.
   */
  static final int WAL_AUTOCHECKPOINT_PAGES = 8_000;

  private final Path file;
  private final SqliteWriter writer;
  private final SqliteReaders readers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SqliteDatabase(Path file, SqliteWriter writer, SqliteReaders readers) {
    this.file = file;
    this.writer = writer;
    this.readers = readers;
  }

  /**
   * Opens (creating when missing) the SQLite file, migrates its schema and starts the writer and
   * readers.
   */
  public static SqliteDatabase open(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "cannot create the data directory " + dir + " for the SQLite state store: " + e, e);
    }
    SQLiteDataSource writes = dataSource(file, writeConfig());
    SQLiteDataSource reads = dataSource(file, readConfig());
    Migrations.apply(writes, "sqlite");
    SqliteWriter writer = null;
    try {
      writer = new SqliteWriter(writes.getConnection(), MAX_BATCH);
      SqliteReaders readers =
          SqliteReaders.open(() -> readConnection(reads), READ_CONNECTIONS, "herald-sqlite-read");
      writer.start("herald-sqlite-writer");
      return new SqliteDatabase(file, writer, readers);
    } catch (SQLException e) {
      if (writer != null) {
        writer.close();
      }
      throw new StoreUnavailableException(
          "cannot open the SQLite state store " + file + ": " + e, e);
    }
  }

  @Override
  public String kind() {
    return "sqlite";
  }

  @Override
  public <T> T read(SqlFunction<T> work) throws SQLException {
    checkOpen();
    return await(readers.submit(work));
  }

  @Override
  public <T> T write(SqlFunction<T> work) throws SQLException {
    checkOpen();
    return await(writer.submit(work));
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      writer.close();
      readers.close();
      log.info("SQLite state store {} closed", file);
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new StoreClosedException("the SQLite state store " + file + " is closed");
    }
  }

  private static <T> T await(CompletableFuture<T> future) throws SQLException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(
          "interrupted while waiting for the SQLite state store", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException sql) {
        throw sql;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new StoreUnavailableException("the SQLite state store failed: " + cause, cause);
    }
  }

  private static SQLiteConfig writeConfig() {
    SQLiteConfig config = commonConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setPragma(
        SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, Integer.toString(WAL_AUTOCHECKPOINT_PAGES));
    return config;
  }

  private static SQLiteConfig readConfig() {
    return commonConfig();
  }

  private static SQLiteConfig commonConfig() {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.enforceForeignKeys(true);
    // no caller asks for generated keys: without this the driver runs SELECT last_insert_rowid()
    // after every INSERT and matches every statement's SQL against a pattern
    config.setGetGeneratedKeys(false);
    return config;
  }

  private static SQLiteDataSource dataSource(Path file, SQLiteConfig config) {
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return dataSource;
  }

  private static Connection readConnection(SQLiteDataSource reads) throws SQLException {
    Connection connection = reads.getConnection();
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA query_only = ON");
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }
}
