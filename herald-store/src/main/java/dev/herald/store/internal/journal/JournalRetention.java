package dev.herald.store.internal.journal;

import dev.herald.store.JournalMaintenance;
import dev.herald.store.internal.db.Database;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;

/**
 * Retention of the delivery journal and the routings (the journeys), one entry point for both
 * databases.
 *
 * <ul>
 *   <li>SQLite: rows last attempted (routed) before the cutoff are deleted in chunks.
 *   <li>PostgreSQL: both tables are partitioned by the ingestion day of the event (V7). A run
 *       creates the partitions of today and the next {@link #DAYS_AHEAD} days that are missing (so
 *       that the DEFAULT partition never takes rows of a day that will have a partition), drops the
 *       daily partitions whose whole day is older than the cutoff, and deletes in chunks the
 *       expired rows of the DEFAULT partitions (ids of days without a partition).
 * </ul>
 *
 * <p><b>Thread safety.</b> Stateless apart from the repositories; safe to run from several threads
 * and Herald instances at once (see {@link DayPartitions}).
 */
final class JournalRetention {
  /** Days after today whose partitions are made ahead. */
  static final int DAYS_AHEAD = 2;

  private final JournalRepository journal;
  private final RoutingRepository routings;
  private final List<DayPartitions> partitioned;

  JournalRetention(Database db, JournalRepository journal, RoutingRepository routings) {
    this.journal = journal;
    this.routings = routings;
    this.partitioned =
        db.kind().equals("postgresql")
            ? List.of(new DayPartitions(db, "journal"), new DayPartitions(db, "routings"))
            : List.of();
  }

  /** Applies {@code retention} as of {@code now}. */
  JournalMaintenance run(Instant now, Duration retention) throws SQLException {
    Instant cutoff = now.minus(retention);
    if (partitioned.isEmpty()) {
      int deleted = journal.purgeBefore(cutoff) + routings.purgeBefore(cutoff);
      return new JournalMaintenance(List.of(), List.of(), List.of(), deleted);
    }
    Report report = new Report();
    LocalDate firstKept = IngestDays.dayOf(cutoff);
    for (DayPartitions table : partitioned) {
      NavigableMap<LocalDate, String> existing = createAhead(table, now, report);
      for (String name : existing.headMap(firstKept).values()) {
        report.add(table.drop(name), name, report.dropped);
      }
    }
    int deleted = journal.purgeDefaultBefore(cutoff) + routings.purgeDefaultBefore(cutoff);
    return new JournalMaintenance(report.created, report.dropped, report.failed, deleted);
  }

  /**
   * Creates the missing partitions of today and the next days, as a run does; nothing on SQLite.
   * Called when the store opens, so that a store left unmaintained for days has today's partition
   * before its first write.
   */
  JournalMaintenance createAhead(Instant now) throws SQLException {
    Report report = new Report();
    for (DayPartitions table : partitioned) {
      createAhead(table, now, report);
    }
    return new JournalMaintenance(report.created, List.of(), report.failed, 0);
  }

  /** Creates what is missing of {@code table}; returns the partitions that existed before. */
  private static NavigableMap<LocalDate, String> createAhead(
      DayPartitions table, Instant now, Report report) throws SQLException {
    NavigableMap<LocalDate, String> existing = table.existing();
    LocalDate today = IngestDays.dayOf(now);
    for (int ahead = 0; ahead <= DAYS_AHEAD; ahead++) {
      LocalDate day = today.plusDays(ahead);
      if (!existing.containsKey(day)) {
        String name = IngestDays.partitionName(table.table(), day);
        report.add(table.create(day), name, report.created);
      }
    }
    return existing;
  }

  /** What a run did so far. Confined to the thread of the run. */
  private static final class Report {
    final List<String> created = new ArrayList<>();
    final List<String> dropped = new ArrayList<>();
    final List<String> failed = new ArrayList<>();

    void add(DayPartitions.Step step, String name, List<String> done) {
      switch (step) {
        case DONE -> done.add(name);
        case FAILED -> failed.add(name);
        case ALREADY_DONE -> {}
      }
    }
  }
}
