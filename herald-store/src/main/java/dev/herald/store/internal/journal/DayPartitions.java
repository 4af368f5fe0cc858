package dev.herald.store.internal.journal;

import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily partitions of one PostgreSQL table partitioned by {@code RANGE (ingest_day)} (migration
 * V7): {@code <table>_pYYYYMMDD} for one UTC day each, beside {@code <table>_default}, which takes
 * the rows of days without a partition.
 *
 * <p>Each creation or drop is a transaction of its own that first takes a transaction-scoped
 * advisory lock ({@code pg_advisory_xact_lock}) and checks again, under it, whether the partition
 * exists: several Herald instances may run maintenance at once, and they take turns, the later one
 * finding the step done. DDL on a partition locks the parent table (the hot path's upserts wait
 * meanwhile), so a step waits at most {@link #LOCK_TIMEOUT} for each lock it needs, the advisory
 * one included, and fails (to be tried again on the next run) when it could not get them.
 *
 * <p>Creating a partition fails when the DEFAULT partition already holds rows of its day (an event
 * id from a day no partition had been made for, e.g. a clock days ahead). Then the day stays in the
 * DEFAULT partition, whose old rows are deleted in chunks: logged, reported, never thrown.
 *
 * <p><b>Thread safety.</b> Stateless apart from the {@link Database}; thread-safe, and safe across
 * Herald instances as said above.
 */
final class DayPartitions {
  private static final Logger log = LoggerFactory.getLogger(DayPartitions.class);

  /** The advisory lock of partition maintenance ("HERALD" and 7, the migration's version). */
  static final long LOCK = 0x4845_5241_4C44_0007L;

  /** How long one step waits for the table locks its DDL needs. */
  static final String LOCK_TIMEOUT = "1s";

  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;

  /** What one step did. */
  enum Step {
    DONE,
    ALREADY_DONE,
    FAILED
  }

  private final Database db;
  private final String table;
  private final Pattern dailyName;

  DayPartitions(Database db, String table) {
    this.db = db;
    this.table = table;
    this.dailyName = Pattern.compile(Pattern.quote(table) + "_p(\\d{8})");
  }

  String table() {
    return table;
  }

  /** The daily partitions that exist now, by day (the DEFAULT partition is not among them). */
  NavigableMap<LocalDate, String> existing() throws SQLException {
    List<String> names =
        db.read(
            c ->
                Sql.list(
                    c,
                    "SELECT child.relname FROM pg_inherits i"
                        + " JOIN pg_class child ON child.oid = i.inhrelid"
                        + " WHERE i.inhparent = to_regclass(?)",
                    s -> s.setString(1, table),
                    row -> row.getString(1)));
    NavigableMap<LocalDate, String> days = new TreeMap<>();
    for (String name : names) {
      day(name).ifPresent(day -> days.put(day, name));
    }
    return days;
  }

  /** Creates the partition of {@code day} unless it exists. */
  Step create(LocalDate day) {
    String name = IngestDays.partitionName(table, day);
    String ddl =
        "CREATE TABLE %s PARTITION OF %s FOR VALUES FROM ('%s') TO ('%s')"
            .formatted(name, table, day, day.plusDays(1));
    Step step = step(name, false, ddl, "create");
    if (step == Step.DONE) {
      log.info("journal retention: created partition {}", name);
    }
    return step;
  }

  /** Drops the daily partition {@code name}, and with it every row of its day. */
  Step drop(String name) {
    Step step = step(name, true, "DROP TABLE " + name, "drop");
    if (step == Step.DONE) {
      log.info("journal retention: dropped partition {}", name);
    }
    return step;
  }

  private Step step(String name, boolean mustExist, String ddl, String what) {
    try {
      return db.write(
          c -> {
            try (Statement s = c.createStatement()) {
              s.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
              s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
              if (exists(c, name) != mustExist) {
                return Step.ALREADY_DONE;
              }
              s.execute(ddl);
            }
            return Step.DONE;
          });
    } catch (SQLException | RuntimeException e) {
      log.warn(
          "journal retention: cannot {} partition {} (rows of its day stay in {}_default,"
              + " deleted in chunks; retried on the next run): {}",
          what,
          name,
          table,
          e.getMessage());
      return Step.FAILED;
    }
  }

  private static boolean exists(Connection c, String name) throws SQLException {
    return Sql.first(
            c, "SELECT to_regclass(?) IS NOT NULL", s -> s.setString(1, name), r -> r.getBoolean(1))
        .orElse(false);
  }

  private Optional<LocalDate> day(String name) {
    Matcher m = dailyName.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(m.group(1), SUFFIX));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
