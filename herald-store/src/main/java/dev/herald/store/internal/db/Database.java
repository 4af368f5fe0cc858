package dev.herald.store.internal.db;

import java.sql.SQLException;

/**
 * One shape for both databases, so that repositories are written once with portable SQL.
 *
 * <p>Implementations are thread-safe: any thread may call {@link #read} and {@link #write}
 * concurrently; each implementation states where the work actually runs.
 */
public interface Database extends AutoCloseable {

  /** {@code "sqlite"} or {@code "postgresql"}. */
  String kind();

  /**
   * Runs read-only work in auto-commit mode and returns its result.
   *
   * @throws SQLException the work's own failure
   * @throws dev.herald.store.StoreUnavailableException when the database cannot run it at all
   */
  <T> T read(SqlFunction<T> work) throws SQLException;

  /**
   * Runs work in a transaction and returns its result once that transaction committed. The
   * transaction may be shared with other writes (SQLite batches them); a write that fails is undone
   * alone and its exception rethrown here, without failing the others. The work may run more than
   * once when a shared commit fails, so it must have no effect outside the connection.
   *
   * @throws SQLException the work's own failure, or the commit's
   * @throws dev.herald.store.StoreUnavailableException when the database cannot run it at all
   */
  <T> T write(SqlFunction<T> work) throws SQLException;

  /** Completes accepted writes, then closes every connection. Idempotent. */
  @Override
  void close();
}
