package dev.herald.store.internal;

import dev.herald.store.StateStore;
import dev.herald.store.StoreConfig;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.PostgresDatabase;
import dev.herald.store.internal.db.SqliteDatabase;
import java.time.InstantSource;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the {@link StateStore} a {@link StoreConfig} names. Public only so that {@link
 * StateStore#open(StoreConfig)} can reach it; other modules call that instead. Stateless.
 */
public final class StoreFactory {
  private static final Logger log = LoggerFactory.getLogger(StoreFactory.class);

  private StoreFactory() {}

  /** Opens the store with the system clock. */
  public static StateStore open(StoreConfig config) {
    return open(config, InstantSource.system());
  }

  /** Opens the store; {@code clock} stamps created/updated times and heartbeats. */
  public static StateStore open(StoreConfig config, InstantSource clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    Database db =
        config
            .url()
            .<Database>map(PostgresDatabase::open)
            .orElseGet(() -> SqliteDatabase.open(config.sqliteFile()));
    log.info("state store opened: {} {}", db.kind(), config);
    JdbcStateStore store = new JdbcStateStore(db, clock, config.secrets());
    store.createJournalPartitions(clock.instant());
    return store;
  }
}
