package dev.herald.store.internal.db;

import dev.herald.api.UnstorableException;
import dev.herald.store.StoreClosedException;
import dev.herald.store.StoreUnavailableException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * What every call of the store shares, whatever its role: the closed flag, and turning an {@link
 * SQLException} into an exception naming what the call could not do: {@link UnstorableException}
 * when the database refused the data written ({@link #refusesData}), else {@link
 * StoreUnavailableException}. One instance per open store, shared by its roles, so that closing the
 * store closes them all.
 *
 * <p><b>Thread safety.</b> Thread-safe: the only state is the atomic closed flag.
 */
public final class StoreCalls {

  /** A store call that may fail with an SQL error. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws SQLException;
  }

  /** A store call without a result. */
  @FunctionalInterface
  public interface Action {
    void run() throws SQLException;
  }

  private final String kind;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param kind the database's kind, for messages
   */
  public StoreCalls(String kind) {
    this.kind = kind;
  }

  /** Runs {@code call} on the open store; {@code what} completes "could not ..." in errors. */
  public <T> T call(Call<T> call, String what) {
    ensureOpen();
    try {
      return call.run();
    } catch (SQLException e) {
      if (refusesData(e)) {
        throw new UnstorableException(
            "the "
                + kind
                + " state store refused what it was given to "
                + what
                + ", which it never can store as it is: "
                + e.getMessage(),
            e);
      }
      throw new StoreUnavailableException(
          "the " + kind + " state store could not " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code e} blames the data written, so that writing it again can never succeed: SQLSTATE
   * class 22, a data exception (PostgreSQL: a NUL character in text, a value out of range), or
   * SQLite's SQLITE_TOOBIG and SQLITE_MISMATCH. Integrity violations (class 23) are not among them:
   * they come of concurrent writers, and a later try may pass.
   */
  static boolean refusesData(SQLException e) {
    String state = e.getSQLState();
    if (state != null && state.startsWith("22")) {
      return true;
    }
    return e instanceof SQLiteException sqlite
        && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_TOOBIG
            || sqlite.getResultCode() == SQLiteErrorCode.SQLITE_MISMATCH);
  }

  /** Runs {@code action} on the open store, as {@link #call}. */
  public void run(Action action, String what) {
    call(
        () -> {
          action.run();
          return null;
        },
        what);
  }

  /**
   * @throws StoreClosedException when the store was closed
   */
  public void ensureOpen() {
    if (closed.get()) {
      throw new StoreClosedException("the " + kind + " state store is closed");
    }
  }

  /** Marks the store closed; true only for the call that closed it. */
  public boolean close() {
    return closed.compareAndSet(false, true);
  }

  public boolean isClosed() {
    return closed.get();
  }

  /**
   * @throws IllegalArgumentException naming {@code what} when {@code value} is below 1
   */
  public static void requireAtLeastOne(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + value);
    }
  }

  /**
   * @throws IllegalArgumentException naming {@code what} when {@code value} is not positive
   */
  public static void requirePositive(String what, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
  }

  /**
   * @throws IllegalArgumentException naming {@code what} when {@code value} is negative
   */
  public static void requireNotNegative(String what, Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, got " + value);
    }
  }
}
