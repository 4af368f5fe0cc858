package dev.herald.store.internal.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done with a connection that the {@link Database} lends for the call. The work must not keep
 * the connection, commit, roll back or change auto-commit.
 */
@FunctionalInterface
public interface SqlFunction<T> {
  T apply(Connection connection) throws SQLException;
}
