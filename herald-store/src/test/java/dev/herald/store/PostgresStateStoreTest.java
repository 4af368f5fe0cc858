package dev.herald.store;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store contract on PostgreSQL (see {@link TestPostgres} for which server); every test gets a
 * schema of its own.
 */
class PostgresStateStoreTest extends StateStoreContract {
  private static final Logger log = LoggerFactory.getLogger(PostgresStateStoreTest.class);
  private static TestPostgres server;

  @TempDir Path tempDir;
  private TestPostgres.Schema schema;

  @BeforeAll
  static void findServer() {
    server = TestPostgres.get();
    log.info("PostgreSQL for the store contract: {}", server.description());
  }

  @Override
  StoreConfig newConfig() {
    schema = server.createSchema();
    return StoreConfig.postgresql(tempDir, schema.jdbcUrl());
  }

  @Override
  String expectedKind() {
    return "postgresql";
  }

  @Override
  void cleanUp() {
    schema.close();
  }
}
