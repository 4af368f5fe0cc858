package dev.herald.store;

import dev.herald.core.secret.SecretBox;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Where the state store keeps its data, and the key that encrypts the secrets it stores.
 *
 * <ul>
 *   <li>{@code dataDir}: Herald's data directory. With no {@code url}, the store is the SQLite file
 *       {@code <dataDir>/herald.db} (the directory is created when missing).
 *   <li>{@code url}: a PostgreSQL JDBC url ({@code jdbc:postgresql://host:5432/herald?user=...})
 *       for cluster mode, where several Herald instances share one store. Empty for SQLite.
 *   <li>{@code secrets}: seals the secrets of targets (webhook secrets, passwords, tokens) before
 *       they are written; only the sealed form is stored. A store must be reopened with the same
 *       key to read them back. The factories without a {@link SecretBox} make a random key, which
 *       is lost with the configuration: fit for tests and throw-away stores only.
 * </ul>
 *
 * <p>{@link #toString()} leaves out the url's query string, where credentials usually sit, and the
 * key.
 *
 * @param dataDir Herald's data directory
 * @param url the PostgreSQL JDBC url, or empty for the embedded SQLite store
 * @param secrets the key that seals stored secrets
 */
public record StoreConfig(Path dataDir, Optional<String> url, SecretBox secrets) {

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
    if (secrets == null) {
      throw new IllegalArgumentException("secrets must not be null");
    }
    url.ifPresent(StoreConfig::checkUrl);
  }

  /** A configuration with a random secret key (see the class comment: tests only). */
  public StoreConfig(Path dataDir, Optional<String> url) {
    this(dataDir, url, randomSecrets());
  }

  /** The embedded store {@code <dataDir>/herald.db}, with a random secret key (tests only). */
  public static StoreConfig sqlite(Path dataDir) {
    return new StoreConfig(dataDir, Optional.empty());
  }

  /** The embedded store {@code <dataDir>/herald.db}, sealing secrets with {@code secrets}. */
  public static StoreConfig sqlite(Path dataDir, SecretBox secrets) {
    return new StoreConfig(dataDir, Optional.empty(), secrets);
  }

  /** The cluster store at {@code url}, with a random secret key (tests only). */
  public static StoreConfig postgresql(Path dataDir, String url) {
    return new StoreConfig(dataDir, Optional.of(url));
  }

  /** The cluster store at {@code url}, sealing secrets with {@code secrets}. */
  public static StoreConfig postgresql(Path dataDir, String url, SecretBox secrets) {
    return new StoreConfig(dataDir, Optional.of(url), secrets);
  }

  /** This configuration with another secret key. */
  public StoreConfig withSecrets(SecretBox newSecrets) {
    return new StoreConfig(dataDir, url, newSecrets);
  }

  /** A secret box with a new random key, known to nobody else. */
  public static SecretBox randomSecrets() {
    SecureRandom random = new SecureRandom();
    return new SecretBox(SecretBox.newKey(random), random);
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
