package dev.herald.store.internal.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Small JDBC helpers shared by the repositories. Stateless. */
public final class Sql {

  /** Sets the parameters of a statement. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** Reads the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /** The most values bound to one {@code IN (...)} list, well below both databases' limits. */
  public static final int IN_CHUNK = 500;

  private Sql() {}

  /** {@code values} in lists of at most {@link #IN_CHUNK}; none for no values. */
  public static <T> List<List<T>> chunks(List<T> values) {
    List<List<T>> chunks = new ArrayList<>();
    for (int from = 0; from < values.size(); from += IN_CHUNK) {
      chunks.add(values.subList(from, Math.min(values.size(), from + IN_CHUNK)));
    }
    return chunks;
  }

  /** {@code "(?, ?, ?)"} with one mark per value; {@code values} must not be empty. */
  public static String marks(Collection<?> values) {
    return marks(values.size());
  }

  /** {@code "(?, ?, ?)"} with {@code count} marks; {@code count} must be at least 1. */
  public static String marks(int count) {
    return "(" + String.join(", ", Collections.nCopies(count, "?")) + ")";
  }

  /** Binds {@code values} from parameter {@code first} on. */
  public static Binder strings(List<String> values, int first) {
    return statement -> {
      for (int i = 0; i < values.size(); i++) {
        statement.setString(first + i, values.get(i));
      }
    };
  }

  public static <T> List<T> list(
      Connection connection, String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      try (ResultSet rows = statement.executeQuery()) {
        List<T> result = new ArrayList<>();
        while (rows.next()) {
          result.add(mapper.map(rows));
        }
        return result;
      }
    }
  }

  public static <T> Optional<T> first(
      Connection connection, String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
      }
    }
  }

  /**
   * Runs a chunked DELETE (one write transaction per chunk, so it never holds the writer for long)
   * until a chunk deletes fewer than {@code chunk} rows; returns how many rows it deleted.
   */
  public static int deleteInChunks(Database db, String sql, int chunk, Binder binder)
      throws SQLException {
    int total = 0;
    int deleted;
    do {
      deleted = db.write(c -> update(c, sql, binder));
      total += deleted;
    } while (deleted >= chunk);
    return total;
  }

  public static int update(Connection connection, String sql, Binder binder) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      return statement.executeUpdate();
    }
  }

  public static Binder none() {
    return statement -> {};
  }
}
