package dev.herald.store;

import java.util.List;
import java.util.Objects;

/**
 * What one run of {@link JournalStore#maintainJournal} did.
 *
 * @param createdPartitions the daily partitions it created (PostgreSQL), e.g. {@code
 *     journal_p20261126}; none on SQLite
 * @param droppedPartitions the daily partitions it dropped whole, their day being older than the
 *     retention (PostgreSQL); none on SQLite
 * @param failedPartitions the partitions it could not create or drop this time (logged; tried again
 *     on the next run; the rows of such a day stay in the DEFAULT partition)
 * @param deletedRows the rows it deleted one by one: on SQLite every expired row of the journal and
 *     the routings; on PostgreSQL the expired rows of their DEFAULT partitions
 */
public record JournalMaintenance(
    List<String> createdPartitions,
    List<String> droppedPartitions,
    List<String> failedPartitions,
    int deletedRows) {

  public JournalMaintenance {
    createdPartitions = List.copyOf(Objects.requireNonNull(createdPartitions, "createdPartitions"));
    droppedPartitions = List.copyOf(Objects.requireNonNull(droppedPartitions, "droppedPartitions"));
    failedPartitions = List.copyOf(Objects.requireNonNull(failedPartitions, "failedPartitions"));
    if (deletedRows < 0) {
      throw new IllegalArgumentException("deletedRows must not be negative, got " + deletedRows);
    }
  }
}
