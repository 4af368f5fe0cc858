package dev.herald.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The scheduled retries role of the state store: deliveries of unordered targets to attempt again
 * when due, claimed under a lease by the retry scheduler of one Herald instance at a time. A batch
 * of delivery results schedules and completes retries through {@link JournalStore#recordResults}
 * (one transaction with its journal entries); a redrive through {@link DeadLetterStore#redrive}.
 *
 * <p>Every method is blocking, thread-safe and fails as the {@link StateStore} class comment says
 * ({@link StoreUnavailableException}, {@link StoreClosedException}).
 */
public interface RetryStore {

  /**
   * Schedules retries, upserting by delivery key (a scheduled retry replaces the stored one and
   * releases its claim). Within one call the last retry of a key wins. An empty list does nothing.
   */
  void scheduleRetries(List<ScheduledRetry> retries);

  /**
   * Claims up to {@code limit} retries that are due ({@code dueAt <= now}), not claimed under a
   * live lease (a lease ends at {@code now + lease} of its claim and is live until then, inclusive)
   * and not of a target in {@code pausedTargets}, oldest due first. The claim is made in the same
   * transaction that selects them: two claimers, threads or Herald instances, never both get a
   * retry while its lease is live. Complete a delivered (or dead-lettered) retry with {@link
   * #completeRetries}, or schedule it again; a retry neither completed nor rescheduled is claimable
   * again once its lease expired.
   *
   * @throws IllegalArgumentException when {@code lease} is not positive or {@code limit} below 1
   */
  List<ScheduledRetry> claimDueRetries(
      String owner, Instant now, Duration lease, int limit, Set<String> pausedTargets);

  /**
   * Extends to {@code until} the leases of the retries of these delivery keys that {@code owner}
   * still holds (claimed by it, whether or not the lease has run out, and claimed by no one since).
   * An instance renews what it is still working on, so that its leases can be short: a crashed
   * instance's retries are claimable again soon after its last renewal. Returns how many were
   * renewed; keys unknown or held by another owner are ignored.
   */
  int renewRetryClaims(String owner, Collection<String> deliveryKeys, Instant until);

  /** Deletes the retries of these delivery keys; unknown keys are ignored. */
  void completeRetries(Collection<String> deliveryKeys);

  /** How many retries are scheduled for {@code target}, claimed or not. */
  int countRetries(String target);
}
