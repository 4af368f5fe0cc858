package dev.herald.store;

import dev.herald.core.config.Page;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * One part of the store contract, run as a {@code @Nested} class of {@link StateStoreContract} and
 * so against every database: its tests use the store that the enclosing contract opened.
 */
abstract class ContractPart {

  /** Lists one page: {@code (limit, after) -> page}. */
  @FunctionalInterface
  interface Lister<T> {
    Page<T> page(int limit, Optional<String> after);
  }

  /** The enclosing contract, which opens a fresh store before each test and closes it after. */
  abstract StateStoreContract contract();

  final StateStore store() {
    return contract().store;
  }

  final StoreConfig config() {
    return contract().config;
  }

  /** Closes the store and opens it again on the same data with the same key. */
  final StateStore reopen() {
    return contract().reopen();
  }

  /** Closes the store and opens it again on the same data with {@code other}'s key. */
  final StateStore reopenWith(StoreConfig other) {
    return contract().reopenWith(other);
  }

  /**
   * A plain JDBC connection to the store's database (foreign keys enforced, as in the store), to
   * look at what is stored beneath the API.
   */
  final Connection rawConnection() throws SQLException {
    if (config().url().isPresent()) {
      return DriverManager.getConnection(config().url().get());
    }
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.enforceForeignKeys(true);
    return sqlite.createConnection("jdbc:sqlite:" + config().sqliteFile());
  }

  /**
   * Injects a fault: until the returned handle is closed, every insert into {@code table} (upserts
   * included) whose {@code column} equals {@code value} fails in the database, as a statement that
   * breaks halfway through a store call would. A trigger of the test's own database, so the store
   * runs unchanged; {@code table} and {@code column} are fixed names of the tests, not input.
   */
  final AutoCloseable failInserts(String table, String column, String value) throws SQLException {
    boolean postgres = config().url().isPresent();
    String literal = "'" + value.replace("'", "''") + "'";
    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      if (postgres) {
        s.execute(
            "CREATE FUNCTION injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW."
                + column
                + " = "
                + literal
                + " THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$");
        s.execute(
            "CREATE TRIGGER injected_fault BEFORE INSERT ON "
                + table
                + " FOR EACH ROW EXECUTE FUNCTION injected_fault()");
      } else {
        s.execute(
            "CREATE TRIGGER injected_fault BEFORE INSERT ON "
                + table
                + " WHEN NEW."
                + column
                + " = "
                + literal
                + " BEGIN SELECT RAISE(ABORT, 'injected fault'); END");
      }
    }
    return () -> {
      try (Connection c = rawConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP TRIGGER injected_fault" + (postgres ? " ON " + table : ""));
        if (postgres) {
          s.execute("DROP FUNCTION injected_fault()");
        }
      }
    };
  }

  /** Follows {@code next} cursors from the first page to the last one. */
  static <T> List<Page<T>> allPages(Lister<T> lister, int limit) {
    List<Page<T>> pages = new ArrayList<>();
    Optional<String> after = Optional.empty();
    do {
      Page<T> page = lister.page(limit, after);
      pages.add(page);
      after = page.next().map(Page::nameAfter);
    } while (after.isPresent() && pages.size() < 100);
    return pages;
  }

  static <T> List<T> items(List<Page<T>> pages) {
    return pages.stream().flatMap(p -> p.items().stream()).toList();
  }
}
