package dev.herald.store;

import static dev.herald.store.DeliveryStatus.DEAD_LETTERED;
import static dev.herald.store.DeliveryStatus.DELIVERED;
import static dev.herald.store.DeliveryStatus.PENDING;
import static dev.herald.store.DeliveryStatus.RETRYING;
import static dev.herald.store.DeliveryStatus.SKIPPED_DUPLICATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.event.EventId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The delivery journal: one entry per delivery key, never leaving {@code delivered}. */
abstract class JournalContract extends ContractPart {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** "Now" of the retention tests, and their retention. */
  static final Instant NOW = Instant.parse("2026-03-10T10:00:00Z");

  static final Duration RETENTION = Duration.ofDays(7);

  /** A real event id (the store reads the ingestion day from it), bus 1, partition 0. */
  static String eventIdAt(Instant ingestedAt, long offset) {
    return new EventId(ingestedAt.toEpochMilli(), 1, 0, offset).toString();
  }

  /**
   * A delivery of {@code eventId} attempted {@code attempts} times, first and last at these times.
   */
  static JournalEntry attempted(
      String key,
      String eventId,
      DeliveryStatus status,
      int attempts,
      Instant first,
      Instant last) {
    boolean failed = status == RETRYING || status == DEAD_LETTERED;
    return new JournalEntry(
        key,
        eventId,
        "orders",
        "placed",
        "hook",
        status,
        attempts,
        failed ? Optional.of("HttpStatus503") : Optional.empty(),
        failed ? Optional.of("attempt " + attempts + " failed") : Optional.empty(),
        Optional.of(first),
        Optional.of(last),
        status == DELIVERED ? Optional.of(last) : Optional.empty());
  }

  static JournalEntry attemptedOnceAt(String key, String eventId, Instant at) {
    return attempted(key, eventId, DELIVERED, 1, at, at);
  }

  /** An entry of event {@code EVENT-<key>}, attempted {@code attempts} times from T0 on. */
  static JournalEntry entry(String key, DeliveryStatus status, int attempts) {
    return entry(key, "EVENT-" + key, status, attempts);
  }

  static JournalEntry entry(String key, String eventId, DeliveryStatus status, int attempts) {
    boolean failed = status == RETRYING || status == DEAD_LETTERED;
    Instant last = T0.plusSeconds(attempts);
    return new JournalEntry(
        key,
        eventId,
        "orders",
        "placed",
        "hook",
        status,
        attempts,
        failed ? Optional.of("HttpStatus503") : Optional.empty(),
        failed ? Optional.of("attempt " + attempts + " failed") : Optional.empty(),
        attempts > 0 ? Optional.of(T0) : Optional.empty(),
        attempts > 0 ? Optional.of(last) : Optional.empty(),
        status == DELIVERED ? Optional.of(last) : Optional.empty());
  }

  private JournalEntry stored(String key) {
    return store().journal(List.of(key)).get(key);
  }

  @Test
  void anEntryIsStoredAsGiven() {
    JournalEntry retrying = entry("k1", RETRYING, 2);
    JournalEntry pending = entry("k2", PENDING, 0);

    store().recordAttempts(List.of(retrying, pending));

    assertThat(store().journal(List.of("k1", "k2")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("k1", retrying, "k2", pending));
  }

  @Test
  void aDeliveryMovesThroughItsStatesUntilDelivered() {
    store().recordAttempts(List.of(entry("k1", PENDING, 0)));
    store().recordAttempts(List.of(entry("k1", RETRYING, 1)));
    assertThat(stored("k1")).isEqualTo(entry("k1", RETRYING, 1));

    store().recordAttempts(List.of(entry("k1", DELIVERED, 2)));

    assertThat(stored("k1")).isEqualTo(entry("k1", DELIVERED, 2));
  }

  @Test
  void aDeliveredEntryIsNeverOverwritten() {
    JournalEntry delivered = entry("k1", DELIVERED, 2);
    store().recordAttempts(List.of(delivered));

    store().recordAttempts(List.of(entry("k1", RETRYING, 1))); // a late copy of attempt 1
    store().recordAttempts(List.of(entry("k1", DEAD_LETTERED, 2)));
    store().recordAttempts(List.of(entry("k1", PENDING, 0)));
    store().recordAttempts(List.of(entry("k1", SKIPPED_DUPLICATE, 0)));

    assertThat(stored("k1")).isEqualTo(delivered);
  }

  @Test
  void aDeliveredEntryTakesOnlyAHigherAttemptCount() {
    store().recordAttempts(List.of(entry("k1", DELIVERED, 2)));

    store().recordAttempts(List.of(entry("k1", RETRYING, 5)));

    JournalEntry now = stored("k1");
    assertThat(now.status()).isEqualTo(DELIVERED);
    assertThat(now.attempts()).isEqualTo(5);
    assertThat(now.errorCode()).isEmpty();
    assertThat(now.deliveredAt()).contains(T0.plusSeconds(2));
    assertThat(now.lastAttemptAt()).contains(T0.plusSeconds(2));
  }

  @Test
  void withinOneCallEntriesApplyInOrderAndDeliveredStillWins() {
    store()
        .recordAttempts(
            List.of(
                entry("k1", RETRYING, 1),
                entry("k1", DELIVERED, 2),
                entry("k1", SKIPPED_DUPLICATE, 0),
                entry("k2", RETRYING, 1),
                entry("k2", DEAD_LETTERED, 8)));

    assertThat(stored("k1")).isEqualTo(entry("k1", DELIVERED, 2));
    assertThat(stored("k2")).isEqualTo(entry("k2", DEAD_LETTERED, 8));
  }

  @Test
  void theAttemptCountNeverDecreasesAndTheFirstAttemptStays() {
    store().recordAttempts(List.of(entry("k1", RETRYING, 4)));

    JournalEntry late = entry("k1", RETRYING, 3);
    store().recordAttempts(List.of(late));

    JournalEntry now = stored("k1");
    assertThat(now.attempts()).isEqualTo(4);
    assertThat(now.firstAttemptAt()).contains(T0);
    assertThat(now.lastAttemptAt()).isEqualTo(late.lastAttemptAt());
  }

  @Test
  void fiveThousandEntriesAreRecordedInOneCall() {
    List<JournalEntry> entries = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      entries.add(entry("key-" + i, "EVENT-" + (i / 5), i % 2 == 0 ? DELIVERED : RETRYING, 1));
    }

    store().recordAttempts(entries);

    Map<String, JournalEntry> found =
        store().journal(entries.stream().map(JournalEntry::deliveryKey).toList());
    assertThat(found).hasSize(5_000);
    assertThat(found.values()).containsExactlyInAnyOrderElementsOf(entries);
    assertThat(store().journalOfEvent("EVENT-999")).hasSize(5);
  }

  @Test
  void dedupeLookupFindsTheDeliveredKeysAmongUnknownOnes() {
    store()
        .recordAttempts(
            List.of(entry("k1", DELIVERED, 1), entry("k2", RETRYING, 1), entry("k3", PENDING, 0)));

    Map<String, JournalEntry> found = store().journal(List.of("k1", "k2", "k3", "unknown", "k1"));

    assertThat(found).containsOnlyKeys("k1", "k2", "k3");
    assertThat(found.values().stream().filter(JournalEntry::isDelivered))
        .extracting(JournalEntry::deliveryKey)
        .containsExactly("k1");
    assertThat(store().journal(List.of())).isEmpty();
    assertThat(store().journal(List.of("unknown"))).isEmpty();
  }

  @Test
  void journalOfEventListsItsDeliveriesByKey() {
    store()
        .recordAttempts(
            List.of(
                entry("k2", "E1", DELIVERED, 1),
                entry("k1", "E1", RETRYING, 3),
                entry("k3", "E2", PENDING, 0)));

    assertThat(store().journalOfEvent("E1"))
        .extracting(JournalEntry::deliveryKey, JournalEntry::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("k1", RETRYING),
            org.assertj.core.groups.Tuple.tuple("k2", DELIVERED));
    assertThat(store().journalOfEvent("unknown")).isEmpty();
  }

  @Test
  void purgeDeletesEntriesLastAttemptedBeforeTheCutoff() {
    store()
        .recordAttempts(
            List.of(
                entry("old", DELIVERED, 1), // last attempt T0+1s
                entry("edge", RETRYING, 2), // T0+2s
                entry("new", RETRYING, 3), // T0+3s
                entry("never", PENDING, 0)));

    int purged = store().purgeJournalBefore(T0.plusSeconds(3));

    assertThat(purged).isEqualTo(2);
    assertThat(store().journal(List.of("old", "edge", "new", "never")))
        .containsOnlyKeys("new", "never");
    assertThat(store().purgeJournalBefore(T0.plusSeconds(3))).isZero();
  }

  @Test
  void maintenanceRemovesEntriesOlderThanTheRetentionAndKeepsRecentOnes() {
    Instant tenDaysAgo = NOW.minus(Duration.ofDays(10));
    Instant sixDaysAgo = NOW.minus(Duration.ofDays(6));
    String oldEvent = eventIdAt(tenDaysAgo, 1);
    store().maintainJournal(tenDaysAgo, RETENTION); // the partitions of that time, on PostgreSQL
    store()
        .recordAttempts(
            List.of(
                attemptedOnceAt("old", oldEvent, tenDaysAgo),
                attemptedOnceAt("not-an-event-id", "EVENT-legacy", tenDaysAgo),
                attemptedOnceAt("six-days", eventIdAt(sixDaysAgo, 2), sixDaysAgo)));

    store().maintainJournal(NOW, RETENTION);
    store().recordAttempts(List.of(attemptedOnceAt("recent", eventIdAt(NOW, 3), NOW)));
    store().maintainJournal(NOW.plus(Duration.ofHours(1)), RETENTION);

    assertThat(store().journal(List.of("old", "not-an-event-id", "six-days", "recent")))
        .containsOnlyKeys("six-days", "recent");
    assertThat(store().journalOfEvent(oldEvent)).isEmpty();
  }

  @Test
  void anEntryRecordedAgainAfterMaintenanceIsUpdatedNotDuplicated() {
    String event = eventIdAt(NOW, 7);
    Instant tomorrow = NOW.plus(Duration.ofDays(1));
    store().maintainJournal(NOW, RETENTION);
    store().recordAttempts(List.of(attempted("k1", event, RETRYING, 1, NOW, NOW)));

    store().maintainJournal(tomorrow, RETENTION);
    store().recordAttempts(List.of(attempted("k1", event, RETRYING, 2, tomorrow, tomorrow)));

    assertThat(store().journalOfEvent(event))
        .containsExactly(attempted("k1", event, RETRYING, 2, NOW, tomorrow));
    assertThat(stored("k1").attempts()).isEqualTo(2);
  }

  @Test
  void entriesOfEveryIngestionDayAreFoundByKeyAndByEvent() {
    store().maintainJournal(NOW, RETENTION);
    Map<String, String> events =
        Map.of(
            "yesterday", eventIdAt(NOW.minus(Duration.ofDays(1)), 1),
            "today", eventIdAt(NOW, 2),
            "tomorrow", eventIdAt(NOW.plus(Duration.ofDays(1)), 3),
            "last-second-of-today", eventIdAt(Instant.parse("2026-03-10T23:59:59.999Z"), 4),
            "far-past", eventIdAt(Instant.parse("2001-01-01T00:00:00Z"), 5),
            "far-future", eventIdAt(Instant.parse("2090-01-01T00:00:00Z"), 6),
            "lower-case-id", eventIdAt(NOW, 7).toLowerCase(java.util.Locale.ROOT),
            "not-an-event-id", "EVENT-x");
    List<JournalEntry> entries = new ArrayList<>();
    events.forEach((key, event) -> entries.add(attemptedOnceAt(key, event, NOW)));

    store().recordAttempts(entries);

    assertThat(store().journal(events.keySet()).values())
        .containsExactlyInAnyOrderElementsOf(entries);
    for (JournalEntry entry : entries) {
      assertThat(store().journalOfEvent(entry.eventId())).containsExactly(entry);
    }
  }

  @Test
  void maintenanceRejectsARetentionThatIsNotPositive() {
    assertThatThrownBy(() -> store().maintainJournal(NOW, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retention");
  }

  @Test
  void recordingNoEntriesDoesNothing() {
    store().recordAttempts(List.of());

    assertThat(store().purgeJournalBefore(T0.plusSeconds(86_400))).isZero();
  }

  @Test
  void everyStatusIsStoredAsItsTextAndReadBack() throws Exception {
    List<JournalEntry> entries = new ArrayList<>();
    for (DeliveryStatus status : DeliveryStatus.values()) {
      entries.add(entry("k-" + status.name(), status, 1));
    }
    store().recordAttempts(entries);

    for (JournalEntry entry : entries) {
      assertThat(stored(entry.deliveryKey())).isEqualTo(entry);
    }
    try (var c = rawConnection();
        var s = c.createStatement();
        var rows = s.executeQuery("SELECT status FROM journal ORDER BY status")) {
      List<String> texts = new ArrayList<>();
      while (rows.next()) {
        texts.add(rows.getString(1));
      }
      assertThat(texts)
          .containsExactly(
              "dead-lettered", "delivered", "pending", "retrying", "skipped-duplicate");
    }
  }

  @Test
  void aStatusTextThatIsNoStatusIsRejectedNamingTheFieldAndTheValidOnes() {
    assertThat(DeliveryStatus.parse("status", "dead-lettered")).isEqualTo(DEAD_LETTERED);
    assertThatThrownBy(() -> DeliveryStatus.parse("status", "done"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status must be one of")
        .hasMessageContaining("skipped-duplicate")
        .hasMessageContaining("'done'");
  }

  @Test
  void theJournalSurvivesReopen() {
    store().recordAttempts(List.of(entry("k1", DELIVERED, 1)));

    reopen();

    assertThat(stored("k1")).isEqualTo(entry("k1", DELIVERED, 1));
  }
}
