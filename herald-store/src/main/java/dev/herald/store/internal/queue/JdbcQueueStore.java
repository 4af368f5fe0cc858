package dev.herald.store.internal.queue;

import dev.herald.store.QueueDepth;
import dev.herald.store.QueueLease;
import dev.herald.store.QueueMessage;
import dev.herald.store.QueueStore;
import dev.herald.store.ReceivedMessage;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.SortableIds;
import dev.herald.store.internal.db.StoreCalls;
import dev.herald.store.internal.deadletter.DeadLetterRepository;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@link QueueStore} over either database: argument checks, then {@link QueueRepository}.
 *
 * <p><b>Thread safety.</b> Holds no mutable state of its own; every call may run concurrently, as
 * the repository and the {@link Database} underneath are thread-safe.
 */
public final class JdbcQueueStore implements QueueStore {
  private final StoreCalls calls;
  private final QueueRepository queues;

  public JdbcQueueStore(
      Database db, StoreCalls calls, InstantSource clock, DeadLetterRepository deadLetters) {
    this.calls = calls;
    this.queues = new QueueRepository(db, new SortableIds(clock), new SecureRandom(), deadLetters);
  }

  @Override
  public int enqueueMessages(List<QueueMessage> messages) {
    List<QueueMessage> copy = List.copyOf(Objects.requireNonNull(messages, "messages"));
    return copy.isEmpty()
        ? calls.call(() -> 0, "enqueue messages")
        : calls.call(() -> queues.enqueue(copy), "enqueue " + copy.size() + " messages");
  }

  @Override
  public List<ReceivedMessage> receiveMessages(
      String queue, Instant now, Duration visibility, int max, int maxReceives) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(now, "now");
    StoreCalls.requirePositive("visibility", visibility);
    StoreCalls.requireAtLeastOne("max", max);
    StoreCalls.requireAtLeastOne("maxReceives", maxReceives);
    return calls.call(
        () -> queues.receive(queue, now, visibility, max, maxReceives),
        "receive messages of queue '" + queue + "'");
  }

  @Override
  public Set<QueueLease> ackMessages(String queue, Collection<QueueLease> leases, Instant now) {
    List<QueueLease> copy = leases(queue, leases, now);
    return copy.isEmpty()
        ? calls.call(Set::of, "ack messages")
        : calls.call(() -> queues.ack(queue, copy, now), "ack messages of queue '" + queue + "'");
  }

  @Override
  public Set<QueueLease> nackMessages(
      String queue, Collection<QueueLease> leases, Instant now, Duration delay) {
    List<QueueLease> copy = leases(queue, leases, now);
    StoreCalls.requireNotNegative("delay", delay);
    return copy.isEmpty()
        ? calls.call(Set::of, "nack messages")
        : calls.call(
            () -> queues.nack(queue, copy, now, delay), "nack messages of queue '" + queue + "'");
  }

  @Override
  public boolean changeMessageVisibility(
      String queue, QueueLease lease, Instant now, Duration visibility) {
    Objects.requireNonNull(lease, "lease");
    leases(queue, List.of(lease), now);
    StoreCalls.requireNotNegative("visibility", visibility);
    return calls.call(
        () -> queues.changeVisibility(queue, lease, now, visibility),
        "change the visibility of a message of queue '" + queue + "'");
  }

  @Override
  public QueueDepth queueDepth(String queue, Instant now) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(now, "now");
    return calls.call(
        () -> queues.depth(queue, now), "count the messages of queue '" + queue + "'");
  }

  @Override
  public int purgeQueueMessages(String queue, Instant now) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(now, "now");
    return calls.call(() -> queues.purge(queue, now), "purge queue '" + queue + "'");
  }

  @Override
  public List<String> hideDeadLetters(
      String target, List<String> ids, int max, Instant now, Instant until) {
    Objects.requireNonNull(target, "target");
    List<String> copy = List.copyOf(Objects.requireNonNull(ids, "ids"));
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(until, "until");
    StoreCalls.requireAtLeastOne("max", max);
    return copy.isEmpty()
        ? List.of()
        : calls.call(
            () -> queues.hideDeadLetters(target, copy, max, now, until),
            "hide dead letters of target '" + target + "'");
  }

  @Override
  public boolean setDeadLetterVisibility(String target, String id, Instant until) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(until, "until");
    return calls.call(
        () -> queues.setDeadLetterVisibility(target, id, until),
        "change the visibility of a dead letter of target '" + target + "'");
  }

  @Override
  public int purgeQueueDeliveryKeysBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    return calls.call(() -> queues.purgeKeysBefore(cutoff), "purge queue delivery keys");
  }

  private static List<QueueLease> leases(String queue, Collection<QueueLease> leases, Instant now) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(now, "now");
    return List.copyOf(Objects.requireNonNull(leases, "leases"));
  }
}
