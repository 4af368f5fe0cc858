package dev.herald.store.internal.db;

import dev.herald.store.StoreClosedException;
import dev.herald.store.StoreUnavailableException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every call of the store shares, whatever its role: the closed flag, and turning an {@link
 * SQLException} into {@link StoreUnavailableException} naming what the call could not do. One
 * instance per open store, shared by its roles, so that closing the store closes them all.
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
      throw new StoreUnavailableException(
          "the " + kind + " state store could not " + what + ": " + e.getMessage(), e);
    }
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
