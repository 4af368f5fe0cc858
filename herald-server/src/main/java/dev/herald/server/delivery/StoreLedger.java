package dev.herald.server.delivery;

import dev.herald.engine.delivery.AttemptResult;
import dev.herald.engine.delivery.DeliveryLedger;
import dev.herald.engine.delivery.Work;
import dev.herald.store.DeadLetter;
import dev.herald.store.DeliveryResults;
import dev.herald.store.DeliveryStatus;
import dev.herald.store.JournalEntry;
import dev.herald.store.JournalStore;
import dev.herald.store.RetryMetadata;
import dev.herald.store.RetryStore;
import dev.herald.store.ScheduledRetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The delivery engine's ledger on the state store: the journal (status per delivery key), scheduled
 * retries (with the record to send again) and dead letters (with the delivered envelope, read back
 * from the bus by event id). A batch of results is one store call, {@link
 * JournalStore#recordResults}, and so one transaction. Claimed retries are leased to this instance
 * and their leases renewed until their results are recorded ({@link #renewClaims}).
 *
 * <p>Thread-safe: the claimed keys are a concurrent map (the retry scheduler adds and renews, the
 * result recorder removes); the store serializes the rest.
 */
public final class StoreLedger implements DeliveryLedger {
  /**
   * A claimed retry's lease: renewed every {@link #RENEW_EVERY} while this instance works on it, so
   * that a crashed instance's retries are claimable again within a minute.
   */
  static final Duration RETRY_LEASE = Duration.ofSeconds(60);

  static final Duration RENEW_EVERY = Duration.ofSeconds(20);

  /**
   * How long a claimed retry is renewed at most: one this instance lost track of (it should not
   * happen) is claimable again after this, as it was before leases were renewed.
   */
  static final Duration MAX_HOLD = Duration.ofMinutes(20);

  private final JournalStore journal;
  private final RetryStore retries;
  private final Function<String, Optional<String>> envelopeOfEvent;
  private final String owner;
  private final Map<String, Instant> held = new ConcurrentHashMap<>(); // claimed key -> when
  private volatile Instant renewedAt = Instant.EPOCH; // the retry scheduler's thread writes it

  /**
   * @param envelopeOfEvent the delivered envelope of an event id (for dead letters), if still on
   *     its bus
   * @param owner this instance, for retry leases
   */
  public StoreLedger(
      JournalStore journal,
      RetryStore retries,
      Function<String, Optional<String>> envelopeOfEvent,
      String owner) {
    this.journal = journal;
    this.retries = retries;
    this.envelopeOfEvent = envelopeOfEvent;
    this.owner = owner;
  }

  @Override
  public Set<String> delivered(Collection<String> deliveryKeys) {
    if (deliveryKeys.isEmpty()) {
      return Set.of();
    }
    return journal.journal(deliveryKeys).values().stream()
        .filter(JournalEntry::isDelivered)
        .map(JournalEntry::deliveryKey)
        .collect(Collectors.toSet());
  }

  @Override
  public void record(List<AttemptResult> results) {
    List<JournalEntry> entries = new ArrayList<>();
    List<ScheduledRetry> scheduled = new ArrayList<>();
    List<DeadLetter> deadLetters = new ArrayList<>();
    List<String> completed = new ArrayList<>();
    List<String> released = new ArrayList<>();
    for (AttemptResult result : results) {
      Work w = result.work();
      entries.add(journalEntry(result));
      if (w.fromRetry() && !(result instanceof AttemptResult.Retrying r && r.inPlace())) {
        released.add(w.deliveryKey()); // completed or scheduled again: its claim ends here
      }
      switch (result) {
        case AttemptResult.Retrying r -> {
          if (!r.inPlace()) {
            scheduled.add(retry(w, r.due()));
          }
        }
        case AttemptResult.DeadLettered d -> {
          deadLetters.add(deadLetter(w, d));
          if (w.fromRetry()) {
            completed.add(w.deliveryKey());
          }
        }
        default -> {
          if (w.fromRetry()) {
            completed.add(w.deliveryKey());
          }
        }
      }
    }
    journal.recordResults(new DeliveryResults(entries, scheduled, deadLetters, completed));
    released.forEach(held::remove);
  }

  @Override
  public List<Work> claimDue(Instant now, int limit, Set<String> skipTargets) {
    List<Work> claimed =
        retries.claimDueRetries(owner, now, RETRY_LEASE, limit, skipTargets).stream()
            .map(StoreLedger::work)
            .toList();
    claimed.forEach(w -> held.put(w.deliveryKey(), now));
    return claimed;
  }

  /** Every {@link #RENEW_EVERY}: extends the leases of the claimed retries not yet recorded. */
  @Override
  public void renewClaims(Instant now) {
    if (now.isBefore(renewedAt.plus(RENEW_EVERY))) {
      return;
    }
    renewedAt = now;
    Instant oldest = now.minus(MAX_HOLD);
    held.values().removeIf(claimedAt -> claimedAt.isBefore(oldest));
    if (!held.isEmpty()) {
      retries.renewRetryClaims(owner, List.copyOf(held.keySet()), now.plus(RETRY_LEASE));
    }
  }

  private static JournalEntry journalEntry(AttemptResult result) {
    Work w = result.work();
    DeliveryStatus status;
    Optional<String> code = Optional.empty();
    Optional<String> message = Optional.empty();
    switch (result) {
      case AttemptResult.Delivered d -> status = DeliveryStatus.DELIVERED;
      case AttemptResult.SkippedDuplicate s -> status = DeliveryStatus.SKIPPED_DUPLICATE;
      case AttemptResult.Retrying r -> {
        status = DeliveryStatus.RETRYING;
        code = Optional.of(r.code());
        message = Optional.of(r.message());
      }
      case AttemptResult.DeadLettered d -> {
        status = DeliveryStatus.DEAD_LETTERED;
        code = Optional.of(d.code());
        message = Optional.of(d.message());
      }
    }
    boolean invoked = !(result instanceof AttemptResult.SkippedDuplicate);
    return new JournalEntry(
        w.deliveryKey(),
        w.eventId(),
        w.bus(),
        w.rule(),
        w.target(),
        status,
        invoked ? w.attempt() : 0,
        code,
        message,
        Optional.of(w.firstAttemptAt()),
        invoked ? Optional.of(result.at()) : Optional.empty(),
        result instanceof AttemptResult.Delivered ? Optional.of(result.at()) : Optional.empty());
  }

  private static ScheduledRetry retry(Work w, Instant due) {
    return new ScheduledRetry(
        w.deliveryKey(),
        w.target(),
        due,
        w.attempt() + 1,
        w.eventId(),
        w.rule(),
        new RetryMetadata(w.bus(), w.json(), w.ingestedAt(), w.traceparent(), w.hops(), w.replay()),
        w.input(),
        w.recordKey(),
        w.firstAttemptAt());
  }

  static Work work(ScheduledRetry r) {
    RetryMetadata m = r.metadata();
    return new Work(
        r.target(),
        r.deliveryKey(),
        r.eventId(),
        m.bus(),
        r.rule(),
        r.attempt(),
        r.payload(),
        m.json(),
        m.traceparent(),
        r.recordKey(),
        m.ingestedAt(),
        r.firstAttemptAt(),
        true,
        m.hops(),
        m.replay());
  }

  private DeadLetter deadLetter(Work w, AttemptResult.DeadLettered d) {
    String envelope =
        envelopeOfEvent
            .apply(w.eventId())
            .orElseGet(
                () ->
                    w.json()
                        ? new String(w.input(), java.nio.charset.StandardCharsets.UTF_8)
                        : "{}");
    return new DeadLetter(
        null,
        w.target(),
        w.deliveryKey(),
        w.eventId(),
        w.rule(),
        envelope,
        w.attempt(),
        d.code(),
        d.message(),
        w.firstAttemptAt(),
        d.at());
  }
}
