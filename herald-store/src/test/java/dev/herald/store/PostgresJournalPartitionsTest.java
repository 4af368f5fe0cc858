package dev.herald.store;

import static dev.herald.store.DeliveryStatus.RETRYING;
import static dev.herald.store.JournalContract.NOW;
import static dev.herald.store.JournalContract.RETENTION;
import static dev.herald.store.JournalContract.attempted;
import static dev.herald.store.JournalContract.attemptedOnceAt;
import static dev.herald.store.JournalContract.eventIdAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.event.EventId;
import dev.herald.core.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only PostgreSQL does for journal retention: the journal and the routings are partitioned by
 * the ingestion day of the event (V7), and maintenance creates days ahead and drops expired days
 * whole. Times are given to the store, never waited for.
 */
class PostgresJournalPartitionsTest {
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

  @TempDir Path tempDir;
  private TestPostgres.Schema schema;
  private final List<StateStore> stores = new ArrayList<>();

  @BeforeEach
  void createSchema() {
    schema = TestPostgres.get().createSchema();
  }

  @AfterEach
  void dropSchema() {
    stores.forEach(StateStore::close);
    schema.close();
  }

  private StateStore open() {
    StateStore store = StateStore.open(StoreConfig.postgresql(tempDir, schema.jdbcUrl()));
    stores.add(store);
    return store;
  }

  private static String partition(String table, Instant at) {
    return table + "_p" + DAY.format(LocalDate.ofInstant(at, ZoneOffset.UTC));
  }

  private static List<String> bothTables(Instant at) {
    return List.of(partition("journal", at), partition("routings", at));
  }

  @Test
  void maintenanceCreatesTodayAndTheNextTwoDaysOfBothTablesOnce() throws Exception {
    StateStore store = open();

    JournalMaintenance first = store.maintainJournal(NOW, RETENTION);

    List<String> expected = new ArrayList<>();
    for (int day = 0; day <= 2; day++) {
      expected.addAll(bothTables(NOW.plus(Duration.ofDays(day))));
    }
    assertThat(first.createdPartitions()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(first.failedPartitions()).isEmpty();
    assertThat(partitionsOf("journal"))
        .contains(
            "journal_default",
            partition("journal", NOW),
            partition("journal", NOW.plus(Duration.ofDays(2))));
    assertThat(partitionsOf("routings")).contains("routings_default", partition("routings", NOW));
    assertThat(store.maintainJournal(NOW, RETENTION).createdPartitions()).isEmpty();
  }

  @Test
  void anExpiredDayIsDroppedWholeNotDeletedRowByRow() throws Exception {
    StateStore store = open();
    Instant day0 = NOW.minus(Duration.ofDays(10));
    store.maintainJournal(day0, RETENTION);
    List<JournalEntry> entries = new ArrayList<>();
    List<Routing> routings = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      String event = eventIdAt(day0.plusSeconds(i), i);
      entries.add(attemptedOnceAt("key-" + i, event, day0.plusSeconds(i)));
      routings.add(new Routing(event, "orders", day0.plusSeconds(i), List.of()));
    }
    store.recordAttempts(entries);
    store.recordRoutings(routings);
    assertThat(rowsIn(partition("journal", day0))).isEqualTo(2_000);

    JournalMaintenance run = store.maintainJournal(NOW, RETENTION);

    assertThat(run.droppedPartitions()).containsAll(bothTables(day0));
    assertThat(run.deletedRows()).isZero();
    assertThat(partitionsOf("journal")).doesNotContain(partition("journal", day0));
    assertThat(partitionsOf("routings")).doesNotContain(partition("routings", day0));
    assertThat(store.journal(List.of("key-0", "key-1999"))).isEmpty();
    assertThat(store.routing(routings.get(0).eventId())).isEmpty();
  }

  @Test
  void idsOfDaysWithoutAPartitionGoToTheDefaultPartition() throws Exception {
    StateStore store = open();
    store.maintainJournal(NOW, RETENTION);
    Map<String, String> events =
        Map.of(
            "today", eventIdAt(NOW, 1),
            "far-past", eventIdAt(Instant.parse("2001-01-01T00:00:00Z"), 2),
            "far-future", eventIdAt(Instant.parse("2090-01-01T00:00:00Z"), 3),
            "not-an-event-id", "EVENT-x");
    List<JournalEntry> entries = new ArrayList<>();
    List<Routing> routings = new ArrayList<>();
    events.forEach(
        (key, event) -> {
          entries.add(attemptedOnceAt(key, event, NOW));
          routings.add(new Routing(event, "orders", NOW, List.of()));
        });

    store.recordAttempts(entries);
    store.recordRoutings(routings);

    assertThat(whereRowsAre("SELECT delivery_key, tableoid::regclass::text FROM journal"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "today", partition("journal", NOW),
                "far-past", "journal_default",
                "far-future", "journal_default",
                "not-an-event-id", "journal_default"));
    assertThat(whereRowsAre("SELECT event_id, tableoid::regclass::text FROM routings"))
        .containsEntry(events.get("today"), partition("routings", NOW))
        .containsEntry(events.get("far-future"), "routings_default")
        .containsEntry("EVENT-x", "routings_default");
  }

  @Test
  void aDayAlreadyInTheDefaultPartitionStaysThereAndMaintenanceGoesOn() throws Exception {
    StateStore store = open();
    store.maintainJournal(NOW, RETENTION);
    Instant fiveDaysOn = NOW.plus(Duration.ofDays(5)); // no partition yet: a clock days ahead
    String event = eventIdAt(fiveDaysOn, 1);
    store.recordAttempts(List.of(attempted("early", event, RETRYING, 1, fiveDaysOn, fiveDaysOn)));

    JournalMaintenance run = store.maintainJournal(NOW.plus(Duration.ofDays(4)), RETENTION);

    assertThat(run.failedPartitions()).containsExactly(partition("journal", fiveDaysOn));
    assertThat(run.createdPartitions())
        .contains(
            partition("journal", NOW.plus(Duration.ofDays(4))),
            partition("journal", NOW.plus(Duration.ofDays(6))),
            partition("routings", fiveDaysOn));
    Instant later = fiveDaysOn.plusSeconds(60);
    store.recordAttempts(List.of(attempted("early", event, RETRYING, 2, later, later)));
    assertThat(store.journalOfEvent(event))
        .containsExactly(attempted("early", event, RETRYING, 2, fiveDaysOn, later));
    assertThat(rowsIn("journal_default")).isEqualTo(1);

    JournalMaintenance muchLater = store.maintainJournal(NOW.plus(Duration.ofDays(20)), RETENTION);

    assertThat(muchLater.deletedRows()).isEqualTo(1); // expired in the default: deleted by age
    assertThat(store.journalOfEvent(event)).isEmpty();
  }

  @Test
  void concurrentMaintenanceByTwoInstancesNeitherFailsNorRepeatsAStep() throws Exception {
    StateStore one = open();
    StateStore two = open();
    one.maintainJournal(NOW, RETENTION);
    Instant later = NOW.plus(Duration.ofDays(10)); // drops 3 days and creates 3, in both tables
    List<Callable<JournalMaintenance>> runs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      StateStore store = i % 2 == 0 ? one : two;
      runs.add(() -> store.maintainJournal(later, RETENTION));
    }

    List<JournalMaintenance> results = StateStoreContract.concurrently(runs);

    List<String> created = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (JournalMaintenance result : results) {
      assertThat(result.failedPartitions()).isEmpty();
      created.addAll(result.createdPartitions());
      dropped.addAll(result.droppedPartitions());
    }
    List<String> expectedCreated = new ArrayList<>();
    List<String> expectedDropped = new ArrayList<>();
    for (int day = 0; day <= 2; day++) {
      expectedCreated.addAll(bothTables(later.plus(Duration.ofDays(day))));
      expectedDropped.addAll(bothTables(NOW.plus(Duration.ofDays(day))));
    }
    assertThat(created).containsExactlyInAnyOrderElementsOf(expectedCreated);
    assertThat(dropped).containsExactlyInAnyOrderElementsOf(expectedDropped);
    assertThat(partitionsOf("journal")).contains(partition("journal", later));
  }

  @Test
  void migrationMovesExistingRowsIntoTheirIngestionDays() throws Exception {
    migrateUpToBeforeV7();
    Instant today = Instant.now();
    Map<String, Instant> times = new HashMap<>();
    times.put("yesterday", today.minus(Duration.ofDays(1)));
    times.put("last-ms-of-a-day", Instant.parse("2026-11-20T23:59:59.999Z"));
    times.put("first-ms-of-a-day", Instant.parse("2026-11-21T00:00:00Z"));
    times.put("long-ago", Instant.parse("2001-02-03T04:05:06.789Z"));
    Map<String, String> events = new HashMap<>();
    times.forEach((key, at) -> events.put(key, eventIdAt(at, 42)));
    events.put("lower-case", eventIdAt(today, 7).toLowerCase(java.util.Locale.ROOT));
    events.put("not-an-event-id", "EVENT-legacy");
    insertOldShapedRows(events, today);

    StateStore store = open(); // applies V7

    Map<String, String> days = new HashMap<>();
    try (Connection c = DriverManager.getConnection(schema.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT delivery_key, ingest_day FROM journal")) {
      while (rows.next()) {
        days.put(rows.getString(1), rows.getString(2));
      }
    }
    Map<String, String> expected = new HashMap<>();
    events.forEach((key, event) -> expected.put(key, ingestDay(event)));
    assertThat(days).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(expected).containsEntry("last-ms-of-a-day", "2026-11-20");
    assertThat(expected).containsEntry("not-an-event-id", "1970-01-01");
    assertThat(whereRowsAre("SELECT delivery_key, tableoid::regclass::text FROM journal"))
        .containsEntry("yesterday", partition("journal", today.minus(Duration.ofDays(1))))
        .containsEntry("long-ago", "journal_default");

    String yesterday = events.get("yesterday");
    store.recordAttempts(List.of(attempted("yesterday", yesterday, RETRYING, 5, today, today)));
    assertThat(store.journalOfEvent(yesterday)).hasSize(1);
    assertThat(store.journal(List.of("yesterday")).get("yesterday").attempts()).isEqualTo(5);
    for (String event : events.values()) {
      assertThat(store.routing(event)).as(event).isPresent();
    }
  }

  /** The day V7 should give: the UTC day of the id's time, 1970-01-01 for other ids. */
  private static String ingestDay(String eventId) {
    Optional<EventId> id = EventId.parse(eventId);
    return id.map(i -> LocalDate.ofInstant(i.ingestedAt(), ZoneOffset.UTC))
        .orElse(LocalDate.EPOCH)
        .toString();
  }

  /** Migrates the schema to the last version before V7 (whichever it is), the tables as before. */
  private void migrateUpToBeforeV7() {
    FluentConfiguration config =
        Flyway.configure()
            .dataSource(schema.jdbcUrl(), null, null)
            .locations("classpath:db/migration/common", "classpath:db/migration/postgresql")
            .placeholders(Map.of("key_text", "TEXT COLLATE \"C\"", "blob", "BYTEA"));
    MigrationVersion v7 = MigrationVersion.fromVersion("7");
    MigrationVersion before =
        Arrays.stream(config.load().info().all())
            .map(MigrationInfo::getVersion)
            .filter(v -> v.compareTo(v7) < 0)
            .max(MigrationVersion::compareTo)
            .orElseThrow();
    config.target(before).load().migrate();
  }

  private void insertOldShapedRows(Map<String, String> events, Instant at) throws SQLException {
    try (Connection c = DriverManager.getConnection(schema.jdbcUrl());
        PreparedStatement journal =
            c.prepareStatement(
                "INSERT INTO journal (delivery_key, event_id, bus, rule, target, status, attempts,"
                    + " first_attempt_at, last_attempt_at) VALUES (?, ?, 'orders', 'placed',"
                    + " 'hook', 'retrying', 1, ?, ?)");
        PreparedStatement routing =
            c.prepareStatement(
                "INSERT INTO routings (event_id, bus, routed_at, deliveries)"
                    + " VALUES (?, 'orders', ?, '[]')")) {
      for (Map.Entry<String, String> e : events.entrySet()) {
        journal.setString(1, e.getKey());
        journal.setString(2, e.getValue());
        journal.setLong(3, at.toEpochMilli());
        journal.setLong(4, at.toEpochMilli());
        journal.executeUpdate();
        routing.setString(1, e.getValue());
        routing.setLong(2, at.toEpochMilli());
        routing.executeUpdate();
      }
    }
  }

  private List<String> partitionsOf(String table) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(schema.jdbcUrl());
        PreparedStatement s =
            c.prepareStatement(
                "SELECT child.relname FROM pg_inherits i"
                    + " JOIN pg_class child ON child.oid = i.inhrelid"
                    + " WHERE i.inhparent = to_regclass(?)")) {
      s.setString(1, table);
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
    }
    return names;
  }

  private long rowsIn(String table) throws SQLException {
    try (Connection c = DriverManager.getConnection(schema.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT count(*) FROM ONLY " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private Map<String, String> whereRowsAre(String sql) throws SQLException {
    Map<String, String> where = new HashMap<>();
    try (Connection c = DriverManager.getConnection(schema.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(sql)) {
      while (rows.next()) {
        where.put(rows.getString(1), rows.getString(2));
      }
    }
    return where;
  }
}
