package dev.herald.store.internal;

import dev.herald.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
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
}
