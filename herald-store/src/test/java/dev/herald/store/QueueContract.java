package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The queues of queue targets: receive leases under a new token, only a live lease acks, nacks or
 * extends, exhausted messages become dead letters, one message per delivery key. Time is the {@code
 * now} each call is given.
 */
abstract class QueueContract extends ContractPart {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration VISIBILITY = Duration.ofSeconds(30);
  static final int MAX_RECEIVES = 3;

  static QueueMessage message(String queue, String key) {
    return new QueueMessage(
        queue,
        key,
        "EVENT-" + key,
        "orders",
        "{\"version\":\"0\",\"id\":\"EVENT-" + key + "\",\"detail\":{}}",
        true,
        Optional.empty(),
        T0);
  }

  private List<ReceivedMessage> receive(String queue, Instant now, int max) {
    return store().receiveMessages(queue, now, VISIBILITY, max, MAX_RECEIVES);
  }

  private ReceivedMessage receiveOne(String queue, Instant now) {
    List<ReceivedMessage> received = receive(queue, now, 1);
    assertThat(received).hasSize(1);
    return received.getFirst();
  }

  private void enqueue(String queue, String... keys) {
    store()
        .enqueueMessages(
            IntStream.range(0, keys.length).mapToObj(i -> message(queue, keys[i])).toList());
  }

  @Test
  void anEnqueuedMessageIsReceivedWithItsBodyLeaseAndFirstReceiveCount() {
    assertThat(store().enqueueMessages(List.of(message("jobs", "k1")))).isEqualTo(1);

    ReceivedMessage m = receiveOne("jobs", T0.plusSeconds(1));

    assertThat(m.queue()).isEqualTo("jobs");
    assertThat(m.deliveryKey()).isEqualTo("k1");
    assertThat(m.eventId()).isEqualTo("EVENT-k1");
    assertThat(m.rule()).isEqualTo("orders");
    assertThat(m.body()).isEqualTo(message("jobs", "k1").body());
    assertThat(m.json()).isTrue();
    assertThat(m.receiveCount()).isEqualTo(1);
    assertThat(m.enqueuedAt()).isEqualTo(T0);
    assertThat(m.visibleAt()).isEqualTo(T0.plusSeconds(1).plus(VISIBILITY));
    assertThat(m.leaseToken()).hasSizeGreaterThanOrEqualTo(16);
    assertThat(m.messageId()).isNotBlank();
  }

  @Test
  void aDeliveryKeyIsEnqueuedOnceEvenAfterItsMessageWasAcked() {
    assertThat(store().enqueueMessages(List.of(message("jobs", "k1"), message("jobs", "k1"))))
        .isEqualTo(1);
    assertThat(store().enqueueMessages(List.of(message("jobs", "k1")))).isZero();
    ReceivedMessage m = receiveOne("jobs", T0);
    assertThat(store().ackMessages("jobs", List.of(m.lease()), T0)).containsExactly(m.lease());

    assertThat(store().enqueueMessages(List.of(message("jobs", "k1")))).isZero();

    assertThat(receive("jobs", T0.plusSeconds(60), 10)).isEmpty();
    assertThat(store().enqueueMessages(List.of(message("other-queue", "k1")))).isEqualTo(1);
  }

  @Test
  void aReceivedMessageIsHiddenUntilItsVisibilityEndsThenReceivedAgainUnderANewToken() {
    enqueue("jobs", "k1");
    ReceivedMessage first = receiveOne("jobs", T0);

    assertThat(receive("jobs", T0.plus(VISIBILITY).minusMillis(1), 10)).isEmpty();
    ReceivedMessage second = receiveOne("jobs", T0.plus(VISIBILITY));

    assertThat(second.messageId()).isEqualTo(first.messageId());
    assertThat(second.receiveCount()).isEqualTo(2);
    assertThat(second.leaseToken()).isNotEqualTo(first.leaseToken());
  }

  @Test
  void aReceiveReturnsAtMostMaxMessagesVisibleLongestFirst() {
    store().enqueueMessages(List.of(message("jobs", "a")));
    store()
        .enqueueMessages(
            List.of(
                new QueueMessage(
                    "jobs", "b", "E", "r", "{}", true, Optional.empty(), T0.plusSeconds(1)),
                new QueueMessage(
                    "jobs", "c", "E", "r", "{}", true, Optional.empty(), T0.plusSeconds(2))));

    assertThat(receive("jobs", T0.plusSeconds(1), 10))
        .extracting(ReceivedMessage::deliveryKey)
        .containsExactly("a", "b");
    assertThat(receive("jobs", T0.plusSeconds(5), 10))
        .extracting(ReceivedMessage::deliveryKey)
        .containsExactly("c");

    enqueue("more", "1", "2", "3", "4");
    assertThat(receive("more", T0, 3)).extracting(ReceivedMessage::deliveryKey).hasSize(3);
    assertThat(receive("more", T0, 3)).extracting(ReceivedMessage::deliveryKey).hasSize(1);
  }

  @Test
  void onlyTheLiveLeaseOfTheLatestReceiveAcks() {
    enqueue("jobs", "k1");
    ReceivedMessage stale = receiveOne("jobs", T0);
    ReceivedMessage current = receiveOne("jobs", T0.plus(VISIBILITY));
    assertThat(current.messageId()).isEqualTo(stale.messageId());
    enqueue("jobs", "k2");
    ReceivedMessage k2 = receiveOne("jobs", T0.plus(VISIBILITY));
    Instant now = T0.plus(VISIBILITY).plusSeconds(1);

    Set<QueueLease> acked =
        store()
            .ackMessages(
                "jobs",
                List.of(stale.lease(), current.lease(), new QueueLease("unknown", "x")),
                now);

    assertThat(acked).containsExactly(current.lease());
    assertThat(store().ackMessages("jobs", List.of(current.lease()), now)).isEmpty();
    assertThat(store().ackMessages("other", List.of(k2.lease()), now)).isEmpty();
    assertThat(store().ackMessages("jobs", List.of(k2.lease()), k2.visibleAt())).isEmpty();
    assertThat(store().ackMessages("jobs", List.of(), now)).isEmpty();
    assertThat(store().queueDepth("jobs", k2.visibleAt())).isEqualTo(new QueueDepth(1, 0, 0));
  }

  @Test
  void aNackReleasesTheMessageAfterItsDelayAndEndsTheLease() {
    enqueue("jobs", "k1");
    ReceivedMessage m = receiveOne("jobs", T0);
    Instant nackedAt = T0.plusSeconds(5);

    assertThat(store().nackMessages("jobs", List.of(m.lease()), nackedAt, Duration.ofSeconds(10)))
        .containsExactly(m.lease());

    assertThat(store().ackMessages("jobs", List.of(m.lease()), nackedAt)).isEmpty();
    assertThat(store().queueDepth("jobs", nackedAt)).isEqualTo(new QueueDepth(0, 0, 1));
    assertThat(receive("jobs", nackedAt.plusSeconds(9), 10)).isEmpty();
    assertThat(receiveOne("jobs", nackedAt.plusSeconds(10)).receiveCount()).isEqualTo(2);
  }

  @Test
  void aNackWithoutDelayMakesTheMessageVisibleAtOnce() {
    enqueue("jobs", "k1");
    ReceivedMessage m = receiveOne("jobs", T0);

    store().nackMessages("jobs", List.of(m.lease()), T0.plusSeconds(1), Duration.ZERO);

    assertThat(receiveOne("jobs", T0.plusSeconds(1)).messageId()).isEqualTo(m.messageId());
  }

  @Test
  void changingVisibilityExtendsALiveLeaseAndZeroReleasesIt() {
    enqueue("jobs", "k1");
    ReceivedMessage m = receiveOne("jobs", T0);
    Instant later = T0.plusSeconds(20);

    assertThat(store().changeMessageVisibility("jobs", m.lease(), later, Duration.ofSeconds(60)))
        .isTrue();

    Instant pastFirstVisibility = T0.plus(VISIBILITY).plusSeconds(5);
    assertThat(receive("jobs", pastFirstVisibility, 10)).isEmpty();
    assertThat(
            store().changeMessageVisibility("jobs", m.lease(), pastFirstVisibility, Duration.ZERO))
        .isTrue();
    assertThat(
            store()
                .changeMessageVisibility(
                    "jobs", m.lease(), pastFirstVisibility, Duration.ofSeconds(60)))
        .as("the lease ended with the zero visibility")
        .isFalse();
    assertThat(receiveOne("jobs", pastFirstVisibility).receiveCount()).isEqualTo(2);
  }

  @Test
  void anExtendedLeaseStillAcksAfterTheFirstVisibilityWouldHaveEnded() {
    enqueue("jobs", "k1");
    ReceivedMessage m = receiveOne("jobs", T0);
    store().changeMessageVisibility("jobs", m.lease(), T0.plusSeconds(1), Duration.ofMinutes(5));

    assertThat(store().ackMessages("jobs", List.of(m.lease()), T0.plus(VISIBILITY).plusSeconds(1)))
        .containsExactly(m.lease());
  }

  @Test
  void anExpiredLeaseCannotBeExtendedOrNacked() {
    enqueue("jobs", "k1");
    ReceivedMessage m = receiveOne("jobs", T0);
    Instant expired = m.visibleAt();

    assertThat(store().changeMessageVisibility("jobs", m.lease(), expired, VISIBILITY)).isFalse();
    assertThat(store().nackMessages("jobs", List.of(m.lease()), expired, Duration.ZERO)).isEmpty();
  }

  @Test
  void aMessageReceivedMaxTimesBecomesADeadLetterAtTheNextReceive() {
    enqueue("jobs", "k1");
    Instant now = T0;
    for (int i = 1; i <= MAX_RECEIVES; i++) {
      assertThat(receiveOne("jobs", now).receiveCount()).isEqualTo(i);
      now = now.plus(VISIBILITY);
    }

    assertThat(receive("jobs", now, 10)).isEmpty();

    List<DeadLetter> letters = store().deadLetters("jobs", 10, Optional.empty()).items();
    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.getFirst();
    assertThat(letter.deliveryKey()).isEqualTo("k1");
    assertThat(letter.eventId()).isEqualTo("EVENT-k1");
    assertThat(letter.rule()).isEqualTo("orders");
    assertThat(letter.envelopeJson()).isEqualTo(message("jobs", "k1").body());
    assertThat(letter.attempts()).isEqualTo(MAX_RECEIVES);
    assertThat(letter.errorCode()).isEqualTo(QueueStore.MAX_RECEIVES_EXCEEDED);
    assertThat(letter.firstAttemptAt()).isEqualTo(T0);
    assertThat(letter.lastAttemptAt()).isEqualTo(T0.plus(VISIBILITY.multipliedBy(2)));
    assertThat(store().queueDepth("jobs", now)).isEqualTo(new QueueDepth(0, 0, 0));
  }

  @Test
  void aDeadLetteredMessageGivesItsDeliveryKeyBackSoThatARedriveEnqueuesItAgain() {
    enqueue("jobs", "k1");
    store().receiveMessages("jobs", T0, VISIBILITY, 1, 1);
    assertThat(store().receiveMessages("jobs", T0.plus(VISIBILITY), VISIBILITY, 1, 1)).isEmpty();

    assertThat(store().enqueueMessages(List.of(message("jobs", "k1")))).isEqualTo(1);

    assertThat(receiveOne("jobs", T0.plus(VISIBILITY)).receiveCount()).isEqualTo(1);
  }

  @Test
  void aShapedMessageDeadLettersWithItsEnvelope() {
    store()
        .enqueueMessages(
            List.of(
                new QueueMessage(
                    "jobs",
                    "k1",
                    "E1",
                    "r",
                    "just text",
                    false,
                    Optional.of("{\"id\":\"E1\"}"),
                    T0)));
    ReceivedMessage m = store().receiveMessages("jobs", T0, VISIBILITY, 1, 1).getFirst();
    assertThat(m.body()).isEqualTo("just text");
    assertThat(m.json()).isFalse();

    store().receiveMessages("jobs", T0.plus(VISIBILITY), VISIBILITY, 1, 1);

    assertThat(store().deadLetters("jobs", 10, Optional.empty()).items())
        .extracting(DeadLetter::envelopeJson)
        .containsExactly("{\"id\":\"E1\"}");
  }

  @Test
  void aNackedMessageAtMaxReceivesDeadLettersWhenItsDelayEnds() {
    enqueue("jobs", "k1");
    ReceivedMessage m = store().receiveMessages("jobs", T0, VISIBILITY, 1, 1).getFirst();
    store().nackMessages("jobs", List.of(m.lease()), T0, Duration.ofSeconds(10));

    assertThat(store().receiveMessages("jobs", T0.plusSeconds(10), VISIBILITY, 1, 1)).isEmpty();

    assertThat(store().deadLetters("jobs", 10, Optional.empty()).items()).hasSize(1);
  }

  @Test
  void depthCountsVisibleInFlightAndDelayedMessagesOfOneQueue() {
    enqueue("jobs", "a", "b", "c", "d");
    enqueue("other", "x");
    List<ReceivedMessage> received = receive("jobs", T0, 2);
    store().nackMessages("jobs", List.of(received.getFirst().lease()), T0, Duration.ofSeconds(5));

    assertThat(store().queueDepth("jobs", T0)).isEqualTo(new QueueDepth(2, 1, 1));
    assertThat(store().queueDepth("jobs", T0.plus(VISIBILITY))).isEqualTo(new QueueDepth(4, 0, 0));
    assertThat(store().queueDepth("nothing", T0)).isEqualTo(new QueueDepth(0, 0, 0));
  }

  @Test
  void purgedDeliveryKeysMayBeEnqueuedAgainOnceTheirMessageIsGone() {
    enqueue("jobs", "k1", "k2");
    ReceivedMessage m = receiveOne("jobs", T0);
    store().ackMessages("jobs", List.of(m.lease()), T0);

    assertThat(store().purgeQueueDeliveryKeysBefore(T0)).isZero();
    assertThat(store().purgeQueueDeliveryKeysBefore(T0.plusMillis(1))).isEqualTo(2);

    assertThat(store().enqueueMessages(List.of(message("jobs", "k1"), message("jobs", "k2"))))
        .as("k1 was acked, k2 is still queued")
        .isEqualTo(1);
  }

  @Test
  void concurrentReceiversNeverHoldOneMessageAtOnceAndLoseNone() throws Exception {
    enqueue("jobs", IntStream.range(0, 60).mapToObj(i -> "k" + i).toArray(String[]::new));
    List<Callable<List<String>>> receivers = new ArrayList<>();
    for (int r = 0; r < 8; r++) {
      receivers.add(
          () -> {
            List<String> got = new ArrayList<>();
            for (List<ReceivedMessage> batch = receive("jobs", T0, 3);
                !batch.isEmpty();
                batch = receive("jobs", T0, 3)) {
              batch.forEach(m -> got.add(m.deliveryKey()));
            }
            return got;
          });
    }

    List<String> all = concurrently(receivers).stream().flatMap(List::stream).toList();

    assertThat(all).hasSize(60).doesNotHaveDuplicates();
  }

  @Test
  void twoStoresOnOneDatabaseReceiveEachMessageOnce() throws Exception {
    enqueue("jobs", IntStream.range(0, 40).mapToObj(i -> "k" + i).toArray(String[]::new));
    try (StateStore other = StateStore.open(config())) {
      List<Callable<List<String>>> receivers = new ArrayList<>();
      for (StateStore s : List.of(store(), other, store(), other)) {
        receivers.add(
            () -> {
              List<String> got = new ArrayList<>();
              List<ReceivedMessage> batch;
              do {
                batch = s.receiveMessages("jobs", T0, VISIBILITY, 2, MAX_RECEIVES);
                batch.forEach(m -> got.add(m.deliveryKey()));
              } while (!batch.isEmpty());
              return got;
            });
      }

      List<String> all = concurrently(receivers).stream().flatMap(List::stream).toList();

      assertThat(all).hasSize(40).doesNotHaveDuplicates();
    }
  }

  @Test
  void aDelayedMessageIsNotReceivedBeforeItsDelayEnds() {
    store()
        .enqueueMessages(
            List.of(
                new QueueMessage(
                    "jobs",
                    "late",
                    "E",
                    "",
                    "{}",
                    true,
                    Optional.empty(),
                    T0,
                    Duration.ofSeconds(10))));

    assertThat(receive("jobs", T0.plusSeconds(9), 10)).isEmpty();
    assertThat(store().queueDepth("jobs", T0.plusSeconds(9))).isEqualTo(new QueueDepth(0, 0, 1));
    assertThat(receiveOne("jobs", T0.plusSeconds(10)).deliveryKey()).isEqualTo("late");
  }

  @Test
  void anAckOfManyLeasesDeletesExactlyTheLiveOnes() {
    enqueue("jobs", IntStream.range(0, 150).mapToObj(i -> "k" + i).toArray(String[]::new));
    List<ReceivedMessage> first = receive("jobs", T0, 150);
    ReceivedMessage expired = first.getFirst();
    List<ReceivedMessage> again = receive("jobs", T0.plus(VISIBILITY), 1);
    assertThat(again.getFirst().messageId()).isEqualTo(expired.messageId());
    List<QueueLease> leases = new ArrayList<>(first.stream().map(ReceivedMessage::lease).toList());
    leases.add(new QueueLease(first.get(1).messageId(), again.getFirst().leaseToken()));

    Set<QueueLease> acked = store().ackMessages("jobs", leases, T0.plus(VISIBILITY));

    assertThat(acked).isEmpty(); // every lease of the first receive ended with its visibility
    Set<QueueLease> live =
        store()
            .ackMessages(
                "jobs",
                List.of(
                    expired.lease(),
                    again.getFirst().lease(),
                    new QueueLease(first.get(1).messageId(), again.getFirst().leaseToken())),
                T0.plus(VISIBILITY));
    assertThat(live).containsExactly(again.getFirst().lease());
    assertThat(store().queueDepth("jobs", T0.plus(VISIBILITY)).visible()).isEqualTo(149);
  }

  @Test
  void exhaustedMessagesAheadDeadLetterAndTheSameReceiveTakesTheNextOnes() {
    enqueue("jobs", "a", "b");
    Instant now = T0;
    for (int i = 0; i < MAX_RECEIVES; i++) {
      assertThat(receive("jobs", now, 2)).hasSize(2);
      now = now.plus(VISIBILITY);
    }
    store()
        .enqueueMessages(
            List.of(new QueueMessage("jobs", "c", "E", "", "{}", true, Optional.empty(), now)));

    assertThat(receive("jobs", now, 2))
        .extracting(ReceivedMessage::deliveryKey)
        .containsExactly("c");
    assertThat(store().deadLetters("jobs", 10, Optional.empty()).items())
        .extracting(DeadLetter::deliveryKey)
        .containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void aPurgeDropsVisibleAndDelayedMessagesAndLeavesReceivedOnes() {
    enqueue("jobs", "a", "b", "c");
    ReceivedMessage held = receiveOne("jobs", T0);
    ReceivedMessage nacked = receiveOne("jobs", T0);
    store().nackMessages("jobs", List.of(nacked.lease()), T0, Duration.ofSeconds(5));
    enqueue("other", "x");

    assertThat(store().purgeQueueMessages("jobs", T0)).isEqualTo(2);

    assertThat(store().queueDepth("jobs", T0)).isEqualTo(new QueueDepth(0, 1, 0));
    assertThat(store().ackMessages("jobs", List.of(held.lease()), T0)).hasSize(1);
    assertThat(store().queueDepth("other", T0).visible()).isEqualTo(1);
    assertThat(store().enqueueMessages(List.of(message("jobs", "c")))).as("keys stay").isZero();
  }

  @Test
  void hiddenDeadLettersStayHiddenUntilTheirTimeAndAcrossStores() {
    store().enqueueMessages(List.of(message("jobs", "a"), message("jobs", "b")));
    store().receiveMessages("jobs", T0, VISIBILITY, 2, 1);
    store().receiveMessages("jobs", T0.plus(VISIBILITY), VISIBILITY, 2, 1);
    List<String> ids =
        store().deadLetters("jobs", 10, Optional.empty()).items().stream()
            .map(DeadLetter::id)
            .toList();
    assertThat(ids).hasSize(2);
    Instant until = T0.plusSeconds(100);

    assertThat(store().hideDeadLetters("jobs", ids, 1, T0, until)).containsExactly(ids.get(0));
    assertThat(store().hideDeadLetters("jobs", ids, 10, T0, until)).containsExactly(ids.get(1));
    assertThat(store().hideDeadLetters("other", ids, 10, until, until.plusSeconds(1))).isEmpty();
    reopen();
    assertThat(store().hideDeadLetters("jobs", ids, 10, until.minusMillis(1), until)).isEmpty();
    assertThat(store().hideDeadLetters("jobs", ids, 10, until, until.plusSeconds(5)))
        .containsExactlyElementsOf(ids);

    assertThat(store().setDeadLetterVisibility("jobs", ids.get(0), until)).isTrue();
    assertThat(store().hideDeadLetters("jobs", ids, 10, until, until.plusSeconds(9)))
        .containsExactly(ids.get(0));
    assertThat(store().setDeadLetterVisibility("jobs", "no-such-letter", until)).isFalse();
    store().purgeDeadLetters("jobs", List.of(ids.get(0)));
    assertThat(store().setDeadLetterVisibility("jobs", ids.get(0), until)).isFalse();
  }

  @Test
  void messagesSurviveCloseAndReopen() {
    enqueue("jobs", "k1");
    ReceivedMessage m = receiveOne("jobs", T0);

    reopen();

    assertThat(store().ackMessages("jobs", List.of(m.lease()), T0.plusSeconds(1)))
        .containsExactly(m.lease());
  }

  @Test
  void invalidArgumentsAreRejected() {
    assertThatThrownBy(() -> store().receiveMessages("jobs", T0, Duration.ZERO, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("visibility");
    assertThatThrownBy(() -> store().receiveMessages("jobs", T0, VISIBILITY, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max");
    assertThatThrownBy(() -> store().receiveMessages("jobs", T0, VISIBILITY, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxReceives");
    QueueLease lease = new QueueLease("m", "t");
    assertThatThrownBy(
            () -> store().nackMessages("jobs", List.of(lease), T0, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> store().changeMessageVisibility("jobs", lease, T0, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store().enqueueMessages(List.of())).isZero();
  }

  private static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
    return StateStoreContract.concurrently(tasks);
  }
}
