package dev.herald.store.internal.db;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Classifies SQL errors of both databases by code, never by message. Stateless. */
public final class SqlErrors {
  private static final String POSTGRES_UNIQUE_VIOLATION = "23505";
  private static final String POSTGRES_FOREIGN_KEY_VIOLATION = "23503";

  private SqlErrors() {}

  /** True when {@code error} (or an exception it chains) is a unique or primary key violation. */
  public static boolean isUniqueViolation(SQLException error) {
    for (SQLException e = error; e != null; e = e.getNextException()) {
      if (POSTGRES_UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return true;
      }
      if (e instanceof SQLiteException sqlite
          && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
              || sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code error} (or an exception it chains) is a foreign key violation. */
  public static boolean isForeignKeyViolation(SQLException error) {
    for (SQLException e = error; e != null; e = e.getNextException()) {
      if (POSTGRES_FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
        return true;
      }
      if (e instanceof SQLiteException sqlite
          && sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY) {
        return true;
      }
    }
    return false;
  }
}
