package dev.herald.store;

import java.util.List;

/**
 * What a batch of delivery attempts leaves in the store, written in one transaction by {@link
 * JournalStore#recordResults}: the journal entries of every attempt, the retries to schedule, the
 * new dead letters, and the scheduled retries the attempts completed (delivered or dead-lettered
 * from a retry).
 *
 * @param journal the latest state of each attempted delivery
 * @param retries retries to schedule (upserted by delivery key)
 * @param deadLetters dead letters to add
 * @param completedRetries delivery keys whose scheduled retry is done
 */
public record DeliveryResults(
    List<JournalEntry> journal,
    List<ScheduledRetry> retries,
    List<DeadLetter> deadLetters,
    List<String> completedRetries) {

  public DeliveryResults {
    journal = List.copyOf(journal);
    retries = List.copyOf(retries);
    deadLetters = List.copyOf(deadLetters);
    completedRetries = List.copyOf(completedRetries);
  }

  /** True when there is nothing to write. */
  public boolean isEmpty() {
    return journal.isEmpty()
        && retries.isEmpty()
        && deadLetters.isEmpty()
        && completedRetries.isEmpty();
  }
}
