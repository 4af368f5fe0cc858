package dev.herald.store;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the state store keeps its data.
 *
 * <ul>
 *   <li>{@code dataDir}: Herald's data directory. With no {@code url}, the store is the SQLite file
 *       {@code <dataDir>/herald.db} (the directory is created when missing).
 *   <li>{@code url}: a PostgreSQL JDBC url ({@code jdbc:postgresql://host:5432/herald?user=...})
 *       for cluster mode, where several Herald instances share one store. Empty for SQLite.
 * </ul>
 *
 * <p>{@link #toString()} leaves out the url's query string, where credentials usually sit.
 *
 * @param dataDir Herald's data directory
 * @param url the PostgreSQL JDBC url, or empty for the embedded SQLite store
 */
public record StoreConfig(Path dataDir, Optional<String> url) {

  /** The prefix every PostgreSQL url starts with. */
  public static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

  /** The SQLite file name inside {@code dataDir}. */
  public static final String SQLITE_FILE = "herald.db";

  public StoreConfig {
    if (dataDir == null) {
      throw new IllegalArgumentException("dataDir must not be null");
    }
    if (url == null) {
      throw new IllegalArgumentException(
          "url must not be null; use Optional.empty() for the embedded SQLite store");
    }
    url.ifPresent(StoreConfig::checkUrl);
  }

  /** The embedded store: the SQLite file {@code <dataDir>/herald.db}. */
  public static StoreConfig sqlite(Path dataDir) {
    return new StoreConfig(dataDir, Optional.empty());
  }

  /** The cluster store: the PostgreSQL database at {@code url}. */
  public static StoreConfig postgresql(Path dataDir, String url) {
    return new StoreConfig(dataDir, Optional.of(url));
  }

  /** The SQLite file this configuration names (used only when {@link #url()} is empty). */
  public Path sqliteFile() {
    return dataDir.resolve(SQLITE_FILE);
  }

  @Override
  public String toString() {
    return "StoreConfig[dataDir="
        + dataDir
        + ", url="
        + url.map(StoreConfig::withoutQuery).orElse("<none: sqlite>")
        + "]";
  }

  private static void checkUrl(String url) {
    if (url.isBlank()) {
      throw new IllegalArgumentException(
          "url must not be blank; leave it empty for the embedded SQLite store");
    }
    if (!url.startsWith(POSTGRESQL_PREFIX)) {
      throw new IllegalArgumentException(
          "url must be a PostgreSQL JDBC url starting with '"
              + POSTGRESQL_PREFIX
              + "' (e.g. jdbc:postgresql://localhost:5432/herald), got '"
              + withoutQuery(url)
              + "'; leave it empty for the embedded SQLite store");
    }
  }

  private static String withoutQuery(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?...";
  }
}
