package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.config.Page;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Dead letters: ids from the store, one per (target, delivery key), pages by id. */
abstract class DeadLetterContract extends ContractPart {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static DeadLetter letter(String target, String key, int attempts, Instant last) {
    return new DeadLetter(
        null,
        target,
        key,
        "EVENT-" + key,
        "placed",
        "{\"version\":\"0\",\"id\":\"EVENT-" + key + "\",\"detail\":{}}",
        attempts,
        "HttpStatus503",
        "attempt " + attempts + " failed",
        T0,
        last);
  }

  static DeadLetter letter(String target, String key) {
    return letter(target, key, 8, T0.plusSeconds(60));
  }

  private List<DeadLetter> all(String target) {
    return items(allPages((limit, after) -> store().deadLetters(target, limit, after), 1000));
  }

  @Test
  void addedDeadLettersGetIdsThatSortInTheOrderTheyWereAdded() {
    store()
        .addDeadLetters(List.of(letter("hook", "k0"), letter("hook", "k1"), letter("hook", "k2")));
    store().addDeadLetters(List.of(letter("hook", "k3")));
    store().addDeadLetters(List.of(letter("hook", "k4"), letter("hook", "k5").withId("")));

    List<DeadLetter> stored = all("hook");

    assertThat(stored)
        .extracting(DeadLetter::deliveryKey)
        .containsExactly("k0", "k1", "k2", "k3", "k4", "k5");
    assertThat(stored)
        .extracting(DeadLetter::id)
        .allSatisfy(id -> assertThat(id).matches("[0-9A-HJKMNP-TV-Z]{26}"))
        .doesNotHaveDuplicates()
        .isSorted();
  }

  @Test
  void countDeadLettersCountsOneTargetsDepth() {
    store()
        .addDeadLetters(
            List.of(letter("hook", "k1"), letter("hook", "k2"), letter("mailer", "k1")));
    store().addDeadLetters(List.of(letter("hook", "k1"))); // the same delivery: still one letter

    assertThat(store().countDeadLetters("hook")).isEqualTo(2);
    assertThat(store().countDeadLetters("mailer")).isEqualTo(1);
    assertThat(store().countDeadLetters("nobody")).isZero();
  }

  @Test
  void aDeadLetterIsStoredAsGiven() {
    DeadLetter given = letter("hook", "k1", 3, T0.plusSeconds(30)).withId("MY-ID");

    store().addDeadLetters(List.of(given));

    assertThat(store().deadLetter("hook", "MY-ID")).contains(given);
  }

  @Test
  void addingTheSameDeliveryAgainKeepsOneDeadLetter() {
    store().addDeadLetters(List.of(letter("hook", "k1")));
    DeadLetter first = all("hook").getFirst();

    store().addDeadLetters(List.of(letter("hook", "k1")));
    store().addDeadLetters(List.of(letter("hook", "k1"), letter("hook", "k1")));

    assertThat(all("hook")).containsExactly(first);
  }

  @Test
  void aLaterFailureOfTheSameDeliveryTakesItsAttemptsAndErrorButKeepsTheDeadLetter() {
    store().addDeadLetters(List.of(letter("hook", "k1", 8, T0.plusSeconds(60))));
    DeadLetter first = all("hook").getFirst();

    store().addDeadLetters(List.of(letter("hook", "k1", 3, T0.plusSeconds(900))));

    DeadLetter now = store().deadLetter("hook", first.id()).orElseThrow();
    assertThat(now.attempts()).isEqualTo(3);
    assertThat(now.errorMessage()).isEqualTo("attempt 3 failed");
    assertThat(now.lastAttemptAt()).isEqualTo(T0.plusSeconds(900));
    assertThat(now.firstAttemptAt()).isEqualTo(first.firstAttemptAt());
    assertThat(all("hook")).hasSize(1);
  }

  @Test
  void anOlderCopyOfTheSameDeliveryChangesNothing() {
    store().addDeadLetters(List.of(letter("hook", "k1", 8, T0.plusSeconds(60))));
    DeadLetter first = all("hook").getFirst();

    store().addDeadLetters(List.of(letter("hook", "k1", 2, T0.plusSeconds(10))));

    assertThat(all("hook")).containsExactly(first);
  }

  @Test
  void theSameDeliveryKeyInAnotherTargetIsAnotherDeadLetter() {
    store().addDeadLetters(List.of(letter("hook", "k1"), letter("mailer", "k1")));

    assertThat(all("hook")).extracting(DeadLetter::target).containsExactly("hook");
    assertThat(all("mailer")).extracting(DeadLetter::target).containsExactly("mailer");
  }

  @Test
  void deadLettersPageByIdWithinTheirTarget() {
    List<DeadLetter> letters = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      letters.add(letter("hook", "k" + i));
    }
    letters.add(letter("other", "k0"));
    store().addDeadLetters(letters);

    List<Page<DeadLetter>> pages =
        allPages((limit, after) -> store().deadLetters("hook", limit, after), 3);

    assertThat(pages).hasSize(3);
    assertThat(pages).extracting(p -> p.items().size()).containsExactly(3, 3, 1);
    assertThat(pages.get(0).next()).contains(Page.cursorAfter(pages.get(0).items().get(2).id()));
    assertThat(pages.get(2).next()).isEmpty();
    assertThat(items(pages))
        .extracting(DeadLetter::deliveryKey)
        .containsExactly("k0", "k1", "k2", "k3", "k4", "k5", "k6");
    assertThat(store().deadLetters("nobody", 10, Optional.empty()).items()).isEmpty();
  }

  @Test
  void aDeadLetterIsFoundByItsTargetAndId() {
    store().addDeadLetters(List.of(letter("hook", "k1")));
    DeadLetter stored = all("hook").getFirst();

    assertThat(store().deadLetter("hook", stored.id())).contains(stored);
    assertThat(store().deadLetter("other", stored.id())).isEmpty();
    assertThat(store().deadLetter("hook", "01ZZZZZZZZZZZZZZZZZZZZZZZZ")).isEmpty();
  }

  @Test
  void addingNoDeadLettersDoesNothing() {
    store().addDeadLetters(List.of());

    assertThat(all("hook")).isEmpty();
  }

  @Test
  void deadLettersSurviveReopen() {
    store().addDeadLetters(List.of(letter("hook", "k1"), letter("hook", "k2")));
    List<DeadLetter> before = all("hook");

    reopen();

    assertThat(all("hook")).isEqualTo(before);
    store().addDeadLetters(List.of(letter("hook", "k3")));
    assertThat(all("hook")).extracting(DeadLetter::deliveryKey).containsExactly("k1", "k2", "k3");
  }

  // --- redrive and purge ---

  private List<String> ids(String target) {
    return all(target).stream().map(DeadLetter::id).toList();
  }

  private void addFive() {
    List<DeadLetter> letters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      letters.add(letter("hook", "k" + i));
    }
    letters.add(letter("other", "k0"));
    store().addDeadLetters(letters);
  }

  /** The redrive of {@code letter}: a retry due at {@code now}, attempt 1. */
  static Redrive retry(DeadLetter letter, Instant now) {
    return new Redrive.Retry(
        letter.id(),
        new ScheduledRetry(
            letter.deliveryKey(),
            letter.target(),
            now,
            1,
            letter.eventId(),
            letter.rule(),
            new RetryMetadata("orders", true, T0, Optional.empty(), 0),
            letter.envelopeJson().getBytes(StandardCharsets.UTF_8),
            Optional.empty(),
            now));
  }

  private List<String> dueKeys(Instant now) {
    return store().claimDueRetries("test", now, Duration.ofMinutes(1), 1000, Set.of()).stream()
        .map(ScheduledRetry::deliveryKey)
        .toList();
  }

  @Test
  void deadLettersAreReadByTheirIdsWithinTheirTarget() {
    addFive();
    List<DeadLetter> before = all("hook");
    String otherId = ids("other").getFirst();

    assertThat(
            store()
                .deadLettersById(
                    "hook", List.of(before.get(3).id(), before.get(1).id(), "UNKNOWN", otherId)))
        .containsExactly(before.get(1), before.get(3));
    assertThat(store().deadLettersById("hook", List.of())).isEmpty();
  }

  @Test
  void aRedriveTurnsLettersIntoRetriesDueNowAndTakesEachOnce() {
    addFive();
    List<DeadLetter> before = all("hook");
    Instant now = T0.plusSeconds(3600);

    int scheduled =
        store().redrive("hook", List.of(retry(before.get(1), now), retry(before.get(3), now)));

    assertThat(scheduled).isEqualTo(2);
    assertThat(all("hook")).containsExactly(before.get(0), before.get(2), before.get(4));
    assertThat(all("other")).hasSize(1);
    assertThat(dueKeys(now)).containsExactlyInAnyOrder("k1", "k3");
    assertThat(store().redrive("hook", List.of(retry(before.get(1), now)))).isZero();
    assertThat(store().redrive("hook", List.of())).isZero();
  }

  @Test
  void aLetterStillDeadAfterARedriveKeepsItsIdAndTakesTheNewError() {
    addFive();
    DeadLetter letter = all("hook").get(2);
    Instant now = T0.plusSeconds(3600);

    int scheduled =
        store()
            .redrive(
                "hook",
                List.of(new Redrive.StillDead(letter.id(), "TransformError", "no such path", now)));

    assertThat(scheduled).isZero();
    assertThat(store().deadLetter("hook", letter.id()))
        .hasValueSatisfying(
            kept -> {
              assertThat(kept.errorCode()).isEqualTo("TransformError");
              assertThat(kept.errorMessage()).isEqualTo("no such path");
              assertThat(kept.lastAttemptAt()).isEqualTo(now);
              assertThat(kept.attempts()).isEqualTo(letter.attempts());
              assertThat(kept.envelopeJson()).isEqualTo(letter.envelopeJson());
            });
    assertThat(dueKeys(now)).isEmpty();
  }

  @Test
  void aRedriveRefusesARetryOfAnotherTarget() {
    addFive();
    DeadLetter other = all("other").getFirst();

    assertThatThrownBy(() -> store().redrive("hook", List.of(retry(other, T0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'other'")
        .hasMessageContaining("'hook'");
    assertThat(all("other")).containsExactly(other);
  }

  @Test
  void concurrentRedrivesScheduleEachLetterOnce() throws Exception {
    List<DeadLetter> letters = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      letters.add(letter("hook", "k" + i));
    }
    store().addDeadLetters(letters);
    List<DeadLetter> stored = all("hook");
    List<Redrive> redrives = stored.stream().map(l -> retry(l, T0)).toList();
    List<java.util.concurrent.Callable<Integer>> redrivers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      redrivers.add(() -> store().redrive("hook", redrives));
    }

    List<Integer> counts = StateStoreContract.concurrently(redrivers);

    assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
    assertThat(all("hook")).isEmpty();
    assertThat(store().countRetries("hook")).isEqualTo(60);
  }

  @Test
  void purgingDeadLettersByIdCountsOnlyThoseDeleted() {
    addFive();
    List<String> before = ids("hook");

    int purged = store().purgeDeadLetters("hook", List.of(before.get(0), before.get(4), "UNKNOWN"));

    assertThat(purged).isEqualTo(2);
    assertThat(ids("hook")).containsExactly(before.get(1), before.get(2), before.get(3));
    assertThat(store().purgeDeadLetters("hook", List.of(before.get(0)))).isZero();
    assertThat(store().purgeDeadLetters("other", before)).isZero();
    assertThat(store().purgeDeadLetters("hook", List.of())).isZero();
  }

  @Test
  void purgingAllDeadLettersEmptiesOneTarget() {
    addFive();

    assertThat(store().purgeAllDeadLetters("hook")).isEqualTo(5);

    assertThat(all("hook")).isEmpty();
    assertThat(all("other")).hasSize(1);
    assertThat(store().purgeAllDeadLetters("hook")).isZero();
  }
}
