package dev.herald.store.internal;

import dev.herald.store.QueueDepth;
import dev.herald.store.QueueLease;
import dev.herald.store.QueueMessage;
import dev.herald.store.QueueStore;
import dev.herald.store.ReceivedMessage;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The queue side of {@link JdbcStateStore} ({@link QueueStore}): argument checks, then {@link
 * QueueRepository}.
 *
 * <p><b>Thread safety.</b> Holds no mutable state of its own; every call may run concurrently, as
 * the repository and the {@link Database} underneath are thread-safe.
 */
abstract class QueueStateStore extends DeliveryStateStore {
  private final QueueRepository queues;

  QueueStateStore(Database db, InstantSource clock) {
    super(db, clock);
    this.queues =
        new QueueRepository(
            db,
            new SortableIds(clock),
            new SecureRandom(),
            new DeadLetterRepository(db, new SortableIds(clock)));
  }

  @Override
  public int enqueueMessages(List<QueueMessage> messages) {
    List<QueueMessage> copy = List.copyOf(Objects.requireNonNull(messages, "messages"));
    return copy.isEmpty()
        ? call(() -> 0, "enqueue messages")
        : call(() -> queues.enqueue(copy), "enqueue " + copy.size() + " messages");
  }

  @Override
  public List<ReceivedMessage> receiveMessages(
      String queue, Instant now, Duration visibility, int max, int maxReceives) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(now, "now");
    if (visibility.isNegative() || visibility.isZero()) {
      throw new IllegalArgumentException("visibility must be positive, got " + visibility);
    }
    atLeastOne("max", max);
    atLeastOne("maxReceives", maxReceives);
    return call(
        () -> queues.receive(queue, now, visibility, max, maxReceives),
        "receive messages of queue '" + queue + "'");
  }

  @Override
  public Set<QueueLease> ackMessages(String queue, Collection<QueueLease> leases, Instant now) {
    List<QueueLease> copy = leases(queue, leases, now);
    return copy.isEmpty()
        ? call(Set::of, "ack messages")
        : call(() -> queues.ack(queue, copy, now), "ack messages of queue '" + queue + "'");
  }

  @Override
  public Set<QueueLease> nackMessages(
      String queue, Collection<QueueLease> leases, Instant now, Duration delay) {
    List<QueueLease> copy = leases(queue, leases, now);
    notNegative("delay", delay);
    return copy.isEmpty()
        ? call(Set::of, "nack messages")
        : call(
            () -> queues.nack(queue, copy, now, delay), "nack messages of queue '" + queue + "'");
  }

  @Override
  public boolean changeMessageVisibility(
      String queue, QueueLease lease, Instant now, Duration visibility) {
    Objects.requireNonNull(lease, "lease");
    leases(queue, List.of(lease), now);
    notNegative("visibility", visibility);
    return call(
        () -> queues.changeVisibility(queue, lease, now, visibility),
        "change the visibility of a message of queue '" + queue + "'");
  }

  @Override
  public QueueDepth queueDepth(String queue, Instant now) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(now, "now");
    return call(() -> queues.depth(queue, now), "count the messages of queue '" + queue + "'");
  }

  @Override
  public int purgeQueueDeliveryKeysBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    return call(() -> queues.purgeKeysBefore(cutoff), "purge queue delivery keys");
  }

  private static List<QueueLease> leases(String queue, Collection<QueueLease> leases, Instant now) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(now, "now");
    return List.copyOf(Objects.requireNonNull(leases, "leases"));
  }

  private static void atLeastOne(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + value);
    }
  }

  private static void notNegative(String what, Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, got " + value);
    }
  }
}
