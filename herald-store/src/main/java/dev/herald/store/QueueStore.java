package dev.herald.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The queues of {@code queue} targets, part of the {@link StateStore} (same threading and errors;
 * see there): messages with SQS semantics. A receive leases messages for a visibility timeout under
 * a new random lease token; only that lease can ack (delete), nack (release, after a delay) or
 * extend the message, and only while it is live ({@code now < visibleAt}). A message whose lease
 * expires is visible again; one received {@code maxReceives} times and not acked becomes a dead
 * letter of its target instead of being received again ({@code MaxReceivesExceeded}).
 *
 * <p>Every method takes {@code now} from the caller's clock. Leases are claimed in one transaction
 * per receive: concurrent receivers, threads or Herald instances sharing a PostgreSQL store, never
 * hold a message at the same time.
 */
public interface QueueStore {

  /** The code of the dead letters of messages received too often. */
  String MAX_RECEIVES_EXCEEDED = "MaxReceivesExceeded";

  /**
   * Enqueues messages, each with its delivery key in one transaction: a key the queue has already
   * taken (still queued, or acked within the key retention, see {@link
   * #purgeQueueDeliveryKeysBefore}) adds nothing. Returns how many messages were added. An empty
   * list does nothing.
   */
  int enqueueMessages(List<QueueMessage> messages);

  /**
   * Receives up to {@code max} visible messages of {@code queue} (visible since the longest first),
   * leasing each until {@code now + visibility} under a new lease token and counting the receive.
   * In the same transaction, the visible messages it meets first that were already received {@code
   * maxReceives} times become dead letters of {@code queue} (code {@link #MAX_RECEIVES_EXCEEDED},
   * attempts = receives) instead, and give their delivery key back, so that a redrive enqueues them
   * again; a receive reads only the oldest visible messages it needs, whatever the backlog.
   *
   * @throws IllegalArgumentException when {@code max} or {@code maxReceives} is below 1 or {@code
   *     visibility} is not positive
   */
  List<ReceivedMessage> receiveMessages(
      String queue, Instant now, Duration visibility, int max, int maxReceives);

  /**
   * Deletes the messages of these leases whose lease is live; returns the leases it deleted. The
   * others (another receive holds the message, the lease expired, the message is gone) are not.
   */
  Set<QueueLease> ackMessages(String queue, Collection<QueueLease> leases, Instant now);

  /**
   * Releases the messages of these live leases: visible again at {@code now + delay}, and the lease
   * ends (its token no longer matches). Returns the leases it released.
   *
   * @throws IllegalArgumentException when {@code delay} is negative
   */
  Set<QueueLease> nackMessages(
      String queue, Collection<QueueLease> leases, Instant now, Duration delay);

  /**
   * Moves the end of a live lease to {@code now + visibility} (zero makes the message visible at
   * once); false when the lease is not live.
   *
   * @throws IllegalArgumentException when {@code visibility} is negative
   */
  boolean changeMessageVisibility(String queue, QueueLease lease, Instant now, Duration visibility);

  /** How many messages {@code queue} holds at {@code now}, visible, in flight and delayed. */
  QueueDepth queueDepth(String queue, Instant now);

  /**
   * Deletes the messages of {@code queue} that no live lease holds at {@code now} (visible and
   * delayed ones; received ones stay with their consumers); their delivery keys stay taken. Returns
   * how many (SQS PurgeQueue).
   */
  int purgeQueueMessages(String queue, Instant now);

  /**
   * The dead letters of {@code target} seen as a queue: hides the first {@code max} of {@code ids}
   * (dead letters of {@code target}; others are skipped) that are not hidden at {@code now}, until
   * {@code until}, and returns their ids in the given order. Hidden is stored, so it holds across
   * instances and restarts; it ends with its dead letter (redriven or purged).
   *
   * @throws IllegalArgumentException when {@code max} is below 1
   */
  List<String> hideDeadLetters(
      String target, List<String> ids, int max, Instant now, Instant until);

  /**
   * Hides the dead letter {@code id} of {@code target} until {@code until} (a time not after now
   * shows it again), whether hidden or not; false when there is no such dead letter.
   */
  boolean setDeadLetterVisibility(String target, String id, Instant until);

  /**
   * Forgets the delivery keys enqueued before {@code cutoff}, a few thousand per transaction; a
   * delivery of such a key may then be enqueued again once its message is gone. Returns how many.
   */
  int purgeQueueDeliveryKeysBefore(Instant cutoff);
}
