package dev.herald.server.queue;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.delivery.Delivery;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.event.EventId;
import dev.herald.core.json.Json;
import dev.herald.core.secret.SecretBox;
import dev.herald.store.Bus;
import dev.herald.store.ConfigStore;
import dev.herald.store.QueueDepth;
import dev.herald.store.QueueLease;
import dev.herald.store.QueueMessage;
import dev.herald.store.QueueStore;
import dev.herald.store.ReceivedMessage;
import dev.herald.targets.queue.QueueSettings;
import dev.herald.targets.queue.QueueSink;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The queues of {@code queue} targets over the state store: the {@link QueueSink} that queue
 * targets enqueue to, and what the queue API does (receive with long polling, ack, nack, change
 * visibility, depth), with signed receipt handles ({@link ReceiptHandles}).
 *
 * <p>A long poll looks in the store, and while it finds nothing waits for an enqueue on this
 * instance to the same queue ({@link QueueSignals}) or {@link #POLL_INTERVAL}, whichever comes
 * first, then looks again, until it has messages or its wait is over.
 *
 * <p>Queue targets' settings (visibility, {@code retry.maxAttempts}) are kept in memory after their
 * first read, so a receive or an ack does not read the target from the store: {@link
 * #targetChanged} forgets a target's settings, and Herald calls it for every target change it
 * applies, the local ones before the change's request returns and the other instances' from the
 * config feed (as the routing tables and the delivery runtimes are kept).
 *
 * <p>Thread-safety: thread-safe; the store and the signals are, and the settings cache is a
 * concurrent map whose fills and invalidations of one target are serialized by {@link
 * ConcurrentHashMap#compute} and checked against a generation counter, so a fill that read the
 * store before a change cannot put its stale settings back after the change's invalidation. Long
 * polls block their (virtual) request thread.
 */
public final class Queues implements QueueSink, AutoCloseable {
  /** How often a long poll looks in the store for messages other instances enqueued. */
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  public static final String QUEUE_NOT_FOUND = "QueueNotFound";
  public static final String INVALID_RECEIPT_HANDLE = "InvalidReceiptHandle";
  public static final String RECEIPT_HANDLE_EXPIRED = "ReceiptHandleExpired";

  private final QueueStore store;
  private final ConfigStore config;
  private final InstantSource clock;
  private final ReceiptHandles handles;
  private final Function<String, Optional<String>> envelopeOfEvent;
  private final QueueSignals signals = new QueueSignals();
  private final ConcurrentHashMap<String, Queue> settings = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();

  /**
   * @param secrets Herald's secret key, from which the receipt handles' key is derived
   * @param envelopeOfEvent the delivered envelope of an event id, read back from its bus: kept with
   *     a message whose body is a rule's shaped input, for the dead letter it may become
   */
  public Queues(
      QueueStore store,
      ConfigStore config,
      InstantSource clock,
      SecretBox secrets,
      Function<String, Optional<String>> envelopeOfEvent) {
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.handles = new ReceiptHandles(secrets.deriveKey(ReceiptHandles.PURPOSE));
    this.envelopeOfEvent = envelopeOfEvent;
  }

  /** A queue target, as a receive needs it. */
  public record Queue(String name, Duration visibility, int maxReceives) {}

  /** A received message, its body as delivered and the handle of this receive. */
  public record Message(
      String messageId,
      String receiptHandle,
      int receiveCount,
      String deliveryKey,
      String eventId,
      String rule,
      String body,
      boolean json,
      Instant enqueuedAt) {}

  /** A handle an ack or nack did not act on, and why (a code of this class). */
  public record Failure(String receiptHandle, String code) {}

  /** What an ack or nack did: how many handles it acted on, and the others. */
  public record Settled(int count, List<Failure> failed) {}

  @Override
  public void enqueue(String queue, Delivery delivery) {
    String body = new String(delivery.input(), UTF_8);
    Optional<String> envelope =
        isEnvelope(delivery, body) ? Optional.empty() : envelopeOfEvent.apply(delivery.eventId());
    store.enqueueMessages(
        List.of(
            new QueueMessage(
                queue,
                delivery.deliveryKey(),
                delivery.eventId(),
                delivery.rule(),
                body,
                delivery.json(),
                envelope,
                clock.instant())));
    signals.signal(queue);
  }

  /**
   * Puts a message that a client sends (SQS SendMessage) in a queue, visible after {@code delay}
   * (SQS DelaySeconds; zero for at once); returns its delivery key. It carries an event id of no
   * bus, and no rule: should it become a dead letter, a redrive delivers its body (JSON) or {@code
   * {}} (text) to the queue again.
   */
  public String send(Queue queue, String body, boolean json, Duration delay) {
    String key = "sqs-" + UUID.randomUUID();
    long offset = ThreadLocalRandom.current().nextLong(1L << 40);
    String eventId = new EventId(clock.millis(), Bus.MAX_ORDINAL, 0, offset).toString();
    store.enqueueMessages(
        List.of(
            new QueueMessage(
                queue.name(),
                key,
                eventId,
                "",
                body,
                json,
                Optional.empty(),
                clock.instant(),
                delay)));
    if (delay.isZero()) {
      signals.signal(queue.name());
    }
    return key;
  }

  /** Whether the body is the delivered envelope itself (the rule does not shape the input). */
  private static boolean isEnvelope(Delivery delivery, String body) {
    if (!delivery.json()) {
      return false;
    }
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      return node != null
          && node.isObject()
          && node.path("id").asText().equals(delivery.eventId())
          && node.has("detail-type")
          && node.has("version");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The queue target {@code name}.
   *
   * @throws ConfigException.NotFound {@code QueueNotFound} when there is no such target or it is
   *     not a queue
   */
  public Queue require(String name) {
    Queue cached = settings.get(name);
    if (cached != null) {
      return cached;
    }
    long seen = generation.get();
    TargetSpec spec =
        config
            .target(name)
            .map(t -> t.spec())
            .filter(s -> s.type().equals("queue"))
            .orElseThrow(
                () ->
                    new ConfigException.NotFound(
                        QUEUE_NOT_FOUND, "there is no queue target '" + name + "'"));
    Queue queue =
        new Queue(
            name, QueueSettings.parse(spec.settings()).visibility(), spec.retry().maxAttempts());
    settings.compute(name, (k, current) -> generation.get() == seen ? queue : current);
    return queue;
  }

  /**
   * Forgets what this instance keeps of target {@code name} (created, changed or deleted): the next
   * call on its queue reads it from the store again.
   */
  public void targetChanged(String name) {
    settings.compute(
        name,
        (k, current) -> {
          generation.incrementAndGet();
          return null;
        });
  }

  /**
   * Receives up to {@code max} messages, waiting up to {@code wait} for the first; each is hidden
   * for {@code visibility} (the queue's own when empty).
   */
  public List<Message> receive(Queue queue, int max, Duration wait, Optional<Duration> visibility) {
    Duration hidden = visibility.orElse(queue.visibility());
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      CompletableFuture<Void> signal = signals.current(queue.name());
      List<ReceivedMessage> received =
          store.receiveMessages(queue.name(), clock.instant(), hidden, max, queue.maxReceives());
      long left = deadline - System.nanoTime();
      if (!received.isEmpty() || left <= 0 || signals.closed()) {
        return received.stream().map(m -> message(queue, m)).toList();
      }
      await(signal, Math.min(left, POLL_INTERVAL.toNanos()));
    }
  }

  private Message message(Queue queue, ReceivedMessage m) {
    return new Message(
        m.messageId(),
        handles.issue(queue.name(), m.lease()),
        m.receiveCount(),
        m.deliveryKey(),
        m.eventId(),
        m.rule(),
        m.body(),
        m.json(),
        m.enqueuedAt());
  }

  private static void await(CompletableFuture<Void> signal, long nanos) {
    try {
      signal.get(nanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // time to look again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for messages", e);
    }
  }

  /** Deletes the messages of these handles (duplicates count once). */
  public Settled ack(Queue queue, List<String> receiptHandles) {
    return settle(queue, receiptHandles, leases -> store.ackMessages(queue.name(), leases, now()));
  }

  /** Makes the messages of these handles visible again after {@code delay}. */
  public Settled nack(Queue queue, List<String> receiptHandles, Duration delay) {
    return settle(
        queue, receiptHandles, leases -> store.nackMessages(queue.name(), leases, now(), delay));
  }

  private Settled settle(
      Queue queue, List<String> receiptHandles, Function<List<QueueLease>, Set<QueueLease>> act) {
    Map<String, QueueLease> valid = new LinkedHashMap<>();
    List<Failure> failed = new ArrayList<>();
    for (String handle : new LinkedHashSet<>(receiptHandles)) {
      handles
          .verify(queue.name(), handle)
          .ifPresentOrElse(
              lease -> valid.put(handle, lease),
              () -> failed.add(new Failure(handle, INVALID_RECEIPT_HANDLE)));
    }
    Set<QueueLease> done =
        valid.isEmpty() ? Set.of() : act.apply(List.copyOf(new LinkedHashSet<>(valid.values())));
    valid.forEach(
        (handle, lease) -> {
          if (!done.contains(lease)) {
            failed.add(new Failure(handle, RECEIPT_HANDLE_EXPIRED));
          }
        });
    return new Settled(done.size(), failed);
  }

  /**
   * Hides the message of {@code receiptHandle} for {@code visibility} from now on (zero makes it
   * visible at once); empty when done, else the code of why not.
   */
  public Optional<String> changeVisibility(Queue queue, String receiptHandle, Duration visibility) {
    Optional<QueueLease> lease = handles.verify(queue.name(), receiptHandle);
    if (lease.isEmpty()) {
      return Optional.of(INVALID_RECEIPT_HANDLE);
    }
    return store.changeMessageVisibility(queue.name(), lease.get(), now(), visibility)
        ? Optional.empty()
        : Optional.of(RECEIPT_HANDLE_EXPIRED);
  }

  /**
   * Drops the messages of the queue that no consumer holds now (visible and delayed ones); returns
   * how many. Received messages stay with their consumers.
   */
  public int purge(Queue queue) {
    return store.purgeQueueMessages(queue.name(), now());
  }

  /** How many messages the queue holds now. */
  public QueueDepth depth(Queue queue) {
    return store.queueDepth(queue.name(), now());
  }

  private Instant now() {
    return clock.instant();
  }

  /** Ends every long poll now (Herald is stopping); later receives do not wait. */
  @Override
  public void close() {
    signals.close();
  }
}
