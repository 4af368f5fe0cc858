package dev.herald.store;

import dev.herald.core.config.Page;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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
