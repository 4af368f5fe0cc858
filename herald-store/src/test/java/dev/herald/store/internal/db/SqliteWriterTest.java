package dev.herald.store.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.store.StoreClosedException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * The batching SQLite writer, driven one batch at a time through {@link SqliteWriter#runOnce()}
 * (the writer thread is not started unless a test says so).
 */
class SqliteWriterTest {
  @TempDir Path tempDir;
  private Path file;
  private SqliteWriter writer;
  private Connection reader;

  @BeforeEach
  void createTables() throws SQLException {
    file = tempDir.resolve("writer.db");
    reader = connect();
    try (Statement s = reader.createStatement()) {
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("CREATE TABLE items (k TEXT PRIMARY KEY)");
      s.execute("CREATE TABLE parents (id INTEGER PRIMARY KEY)");
      s.execute(
          "CREATE TABLE children (id INTEGER PRIMARY KEY, parent INTEGER"
              + " REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)");
    }
    writer = new SqliteWriter(connect(), 10);
  }

  @AfterEach
  void close() throws SQLException {
    writer.close();
    reader.close();
  }

  private Connection connect() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.enforceForeignKeys(true);
    config.setBusyTimeout(5_000);
    return config.createConnection("jdbc:sqlite:" + file);
  }

  private CompletableFuture<Integer> insert(String table, String values) {
    return writer.submit(
        c -> {
          try (Statement s = c.createStatement()) {
            return s.executeUpdate("INSERT INTO " + table + " VALUES (" + values + ")");
          }
        });
  }

  private List<String> committedItems() throws SQLException {
    List<String> keys = new ArrayList<>();
    try (Statement s = reader.createStatement();
        var rows = s.executeQuery("SELECT k FROM items ORDER BY k")) {
      while (rows.next()) {
        keys.add(rows.getString(1));
      }
    }
    return keys;
  }

  @Test
  void failingWriteInABatchFailsOnlyItsOwnFuture() throws Exception {
    CompletableFuture<Integer> a = insert("items", "'a'");
    CompletableFuture<Integer> duplicate = insert("items", "'a'");
    CompletableFuture<Integer> b = insert("items", "'b'");

    assertThat(writer.runOnce()).isEqualTo(3);

    assertThat(a.get()).isEqualTo(1);
    assertThat(b.get()).isEqualTo(1);
    assertThatThrownBy(duplicate::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(SQLException.class);
    assertThat(SqlErrors.isUniqueViolation((SQLException) duplicate.exceptionNow())).isTrue();
    assertThat(committedItems()).containsExactly("a", "b");
  }

  @Test
  void failingWriteIsUndoneEntirely() throws Exception {
    CompletableFuture<Object> half =
        writer.submit(
            c -> {
              try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO items VALUES ('half')");
              }
              throw new IllegalStateException("fails after its first statement");
            });
    CompletableFuture<Integer> whole = insert("items", "'whole'");

    writer.runOnce();

    assertThatThrownBy(half::get).cause().isInstanceOf(IllegalStateException.class);
    assertThat(whole.get()).isEqualTo(1);
    assertThat(committedItems()).containsExactly("whole");
  }

  @Test
  void writesCompleteOnlyOnceTheirBatchCommitted() throws Exception {
    CompletableFuture<Integer> a = insert("items", "'a'");

    assertThat(a).isNotDone();
    assertThat(committedItems()).isEmpty();

    writer.runOnce();

    assertThat(a).isCompletedWithValue(1);
    assertThat(committedItems()).containsExactly("a");
  }

  @Test
  void batchWhoseCommitFailsIsRetriedOneWriteAtATime() throws Exception {
    CompletableFuture<Integer> parent = insert("parents", "1");
    writer.runOnce();
    assertThat(parent.get()).isEqualTo(1);
    CompletableFuture<Integer> good = insert("children", "1, 1");
    CompletableFuture<Integer> orphan = insert("children", "2, 99"); // fails only at commit
    CompletableFuture<Integer> alsoGood = insert("items", "'x'");

    writer.runOnce();

    assertThat(good.get()).isEqualTo(1);
    assertThat(alsoGood.get()).isEqualTo(1);
    assertThatThrownBy(orphan::get).cause().isInstanceOf(SQLException.class);
    assertThat(committedItems()).containsExactly("x");
  }

  @Test
  void aBatchHoldsAtMostMaxBatchWrites() {
    for (int i = 0; i < 25; i++) {
      var unused = insert("items", "'" + i + "'");
    }

    assertThat(List.of(writer.runOnce(), writer.runOnce(), writer.runOnce(), writer.runOnce()))
        .containsExactly(10, 10, 5, 0);
  }

  @Test
  void closeRunsAcceptedWritesThenRejectsNewOnes() throws Exception {
    List<CompletableFuture<Integer>> accepted = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      accepted.add(insert("items", "'" + i + "'"));
    }

    writer.close();

    assertThat(accepted).allSatisfy(f -> assertThat(f).isCompletedWithValue(1));
    assertThat(committedItems()).hasSize(15);
    assertThatThrownBy(() -> insert("items", "'late'").get())
        .cause()
        .isInstanceOf(StoreClosedException.class);
  }

  @Test
  void writerThreadCommitsWritesFromManyVirtualThreads() throws Exception {
    writer.start("test-writer");
    List<Future<Integer>> results = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 50; i++) {
        String key = "k" + i;
        results.add(threads.submit(() -> insert("items", "'" + key + "'").get()));
      }
    }

    for (Future<Integer> result : results) {
      assertThat(result.get()).isEqualTo(1);
    }
    assertThat(committedItems()).hasSize(50);
  }
}
