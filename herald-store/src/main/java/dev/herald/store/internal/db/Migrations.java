package dev.herald.store.internal.db;

import dev.herald.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a store's schema up to date with Flyway when the store opens.
 *
 * <p>Migrations live in {@code db/migration/common} when their SQL is portable, and in {@code
 * db/migration/sqlite} plus {@code db/migration/postgresql} (same version number in both) only
 * where the DDL must differ. A dialect folder is used only when it exists. Stateless.
 *
 * <p>Placeholders: {@code ${key_text}} is the column type of names and ids that lists sort and page
 * by: {@code TEXT} on SQLite (byte order already), {@code TEXT COLLATE "C"} on PostgreSQL (byte
 * order whatever the database's default collation). {@code ${blob}} is the column type of raw
 * bytes: {@code BLOB} on SQLite, {@code BYTEA} on PostgreSQL.
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  private static final String ROOT = "db/migration/";

  private Migrations() {}

  /** Applies pending migrations for {@code kind} ("sqlite" or "postgresql"). */
  static void apply(DataSource dataSource, String kind) {
    ClassLoader loader = Migrations.class.getClassLoader();
    List<String> locations = new ArrayList<>(List.of("classpath:" + ROOT + "common"));
    if (loader.getResource(ROOT + kind) != null) {
      locations.add("classpath:" + ROOT + kind);
    }
    try {
      MigrateResult result =
          Flyway.configure(loader)
              .dataSource(dataSource)
              .locations(locations.toArray(String[]::new))
              .validateMigrationNaming(true)
              .placeholders(Map.of("key_text", keyText(kind), "blob", blob(kind)))
              .load()
              .migrate();
      log.info(
          "{} state store schema at version {} ({} migrations applied now)",
          kind,
          result.targetSchemaVersion != null
              ? result.targetSchemaVersion
              : result.initialSchemaVersion,
          result.migrationsExecuted);
    } catch (FlywayException e) {
      throw new StoreUnavailableException(
          "cannot migrate the " + kind + " state store schema: " + e.getMessage(), e);
    }
  }

  private static String blob(String kind) {
    return kind.equals("postgresql") ? "BYTEA" : "BLOB";
  }

  private static String keyText(String kind) {
    return kind.equals("postgresql") ? "TEXT COLLATE \"C\"" : "TEXT";
  }
}
