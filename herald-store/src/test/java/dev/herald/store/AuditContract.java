package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.audit.AuditChain;
import dev.herald.core.audit.AuditEntry;
import dev.herald.core.audit.AuditHead;
import dev.herald.core.audit.AuditRecord;
import dev.herald.core.audit.ChainVerifier;
import dev.herald.core.audit.Verification;
import dev.herald.core.config.Page;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The audit log: a hash chain from genesis, one entry per delivery key, appends serialized across
 * stores, lists filtered and paged by seq, the whole log streamed in order.
 */
abstract class AuditContract extends ContractPart {

  static AuditRecord record(String key, String source, String detailType) {
    String envelope =
        "{\"version\":\"0\",\"id\":\"EVENT-"
            + key
            + "\",\"detail-type\":\""
            + detailType
            + "\",\"source\":\""
            + source
            + "\",\"time\":\"2026-11-26T10:00:00Z\",\"detail\":{\"key\":\""
            + key
            + "\"}}";
    return AuditRecord.of(key, "EVENT-" + key, envelope).withBus("default");
  }

  static AuditRecord record(String key) {
    return record(key, "shop.orders", "OrderPlaced");
  }

  static List<AuditRecord> records(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> record(prefix + i)).toList();
  }

  private List<AuditEntry> all() {
    return items(allPages((limit, after) -> list(AuditFilter.ALL, limit, after), 1000));
  }

  private Page<AuditEntry> list(AuditFilter filter, int limit, Optional<String> after) {
    OptionalLong seq =
        after.map(a -> OptionalLong.of(Long.parseLong(a))).orElse(OptionalLong.empty());
    return store().auditEntries(filter, limit, seq);
  }

  private Verification verify() {
    AuditHead head = store().auditHead();
    ChainVerifier verifier = new ChainVerifier();
    try (Stream<AuditEntry> entries = store().streamAudit(0, head.seq())) {
      entries.takeWhile(verifier::accept).forEach(e -> {});
    }
    return verifier.finish(head);
  }

  @Test
  void appendedEntriesChainFromGenesisWithConsecutiveSeqs() {
    AuditAppend first = store().appendAudit(records("a", 3));
    AuditAppend second = store().appendAudit(records("b", 2));

    List<AuditEntry> log = all();
    assertThat(log).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(log.getFirst().prevHash()).isEqualTo(AuditChain.GENESIS);
    for (int i = 1; i < log.size(); i++) {
      assertThat(log.get(i).prevHash()).isEqualTo(log.get(i - 1).hash());
    }
    assertThat(first.appended()).containsExactlyElementsOf(log.subList(0, 3));
    assertThat(second.appended()).containsExactlyElementsOf(log.subList(3, 5));
    assertThat(first.duplicates()).isEmpty();
    assertThat(store().auditHead()).isEqualTo(log.getLast().asHead());
    Verification result = verify();
    assertThat(result.valid()).isTrue();
    assertThat(result.entries()).isEqualTo(5);
    assertThat(result.head()).isEqualTo(log.getLast().hash());
  }

  @Test
  void anEmptyLogHasTheGenesisHeadAndVerifies() {
    assertThat(store().auditHead()).isEqualTo(AuditHead.GENESIS);
    assertThat(store().auditEntries(AuditFilter.ALL, 10, OptionalLong.empty()).items()).isEmpty();
    assertThat(verify().valid()).isTrue();
    assertThat(store().appendAudit(List.of())).isEqualTo(new AuditAppend(List.of(), List.of()));
  }

  @Test
  void aDeliveryKeyIsAppendedOnceAndADuplicateIsANoOp() {
    store().appendAudit(List.of(record("k1")));
    AuditHead head = store().auditHead();

    AuditAppend again = store().appendAudit(List.of(record("k1")));
    AuditAppend mixed = store().appendAudit(List.of(record("k2"), record("k1"), record("k2")));

    assertThat(again.appended()).isEmpty();
    assertThat(again.duplicates()).containsExactly("k1");
    assertThat(mixed.appendedKeys()).containsExactly("k2");
    assertThat(mixed.duplicates()).containsExactly("k1", "k2");
    assertThat(all()).extracting(e -> e.record().deliveryKey()).containsExactly("k1", "k2");
    assertThat(all().getFirst().asHead()).isEqualTo(head);
  }

  @Test
  void anEntryKeepsTheRecordAsGivenAndTheSha256OfItsEnvelope() throws Exception {
    String envelope =
        "{\"source\":\"shöp\",\"detail-type\":\"Ünïcode ✓\",\"detail\":{\"n\":42.50}}";
    AuditRecord given = AuditRecord.of("k1", "E1", envelope);
    AuditRecord plain = AuditRecord.of("k2", "E2", "plain text, not JSON");

    store().appendAudit(List.of(given, plain));

    List<AuditEntry> log = all();
    assertThat(log).extracting(AuditEntry::record).containsExactly(given, plain);
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(envelope.getBytes(StandardCharsets.UTF_8));
    assertThat(log.getFirst().eventHash()).isEqualTo(HexFormat.of().formatHex(digest));
    assertThat(log.getFirst().record().bus()).isEmpty();
    assertThat(log.get(1).record().source()).isEmpty();
  }

  @Test
  void appendTimesComeFromTheClockAndNeverGoBack() {
    Instant before = Instant.now().minusSeconds(1);
    store().appendAudit(records("a", 3));
    store().appendAudit(records("b", 3));

    List<AuditEntry> log = all();
    assertThat(log).extracting(AuditEntry::recordedAt).isSorted();
    assertThat(log.getFirst().recordedAt()).isAfter(before);
    assertThat(log.getLast().recordedAt()).isBefore(Instant.now().plusSeconds(1));
  }

  @Test
  void listsFilterBySourceAndDetailTypeAndPageBySeq() {
    List<AuditRecord> mixed = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      mixed.add(
          record("k" + i, i % 2 == 0 ? "shop.orders" : "shop.billing", i % 3 == 0 ? "A" : "B"));
    }
    store().appendAudit(mixed);

    AuditFilter orders =
        new AuditFilter(
            Optional.empty(), Optional.empty(), Optional.of("shop.orders"), Optional.empty());
    List<Page<AuditEntry>> pages = allPages((limit, after) -> list(orders, limit, after), 4);
    assertThat(pages).hasSize(2);
    assertThat(pages.getFirst().next()).contains(Page.cursorAfter("7"));
    assertThat(items(pages)).extracting(AuditEntry::seq).containsExactly(1L, 3L, 5L, 7L, 9L, 11L);

    AuditFilter ordersOfA =
        new AuditFilter(
            Optional.empty(), Optional.empty(), Optional.of("shop.orders"), Optional.of("A"));
    assertThat(store().auditEntries(ordersOfA, 100, OptionalLong.empty()).items())
        .extracting(e -> e.record().deliveryKey())
        .containsExactly("k0", "k6");
    assertThat(store().auditEntries(ordersOfA, 100, OptionalLong.of(1)).items())
        .extracting(e -> e.record().deliveryKey())
        .containsExactly("k6");
    assertThat(store().auditEntries(ordersOfA, 100, OptionalLong.of(7)).next()).isEmpty();
  }

  @Test
  void listsFilterByAppendTimeFromInclusiveToExclusive() throws Exception {
    store().appendAudit(records("a", 2));
    Thread.sleep(5);
    store().appendAudit(records("b", 2));
    Thread.sleep(5);
    store().appendAudit(records("c", 2));
    List<AuditEntry> log = all();
    Instant from = log.get(2).recordedAt();
    Instant to = log.get(4).recordedAt();

    AuditFilter window =
        new AuditFilter(Optional.of(from), Optional.of(to), Optional.empty(), Optional.empty());

    List<AuditEntry> expected =
        log.stream()
            .filter(e -> !e.recordedAt().isBefore(from) && e.recordedAt().isBefore(to))
            .toList();
    assertThat(expected).isNotEmpty();
    assertThat(store().auditEntries(window, 100, OptionalLong.empty()).items())
        .containsExactlyElementsOf(expected);
    assertThatThrownBy(
            () ->
                new AuditFilter(
                    Optional.of(to), Optional.of(from), Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be after");
  }

  @Test
  void streamingReadsEveryEntryInOrderAcrossChunks() {
    for (int batch = 0; batch < 5; batch++) {
      store().appendAudit(records("b" + batch + "-", 500));
    }
    store().appendAudit(records("tail-", 45));

    try (Stream<AuditEntry> all = store().streamAudit(0, Long.MAX_VALUE)) {
      assertThat(all.map(AuditEntry::seq).toList()).containsExactlyElementsOf(seqs(1, 2545));
    }
    try (Stream<AuditEntry> some = store().streamAudit(999, 2001)) {
      assertThat(some.map(AuditEntry::seq).toList()).containsExactlyElementsOf(seqs(1000, 2001));
    }
    Verification result = verify();
    assertThat(result.valid()).isTrue();
    assertThat(result.entries()).isEqualTo(2545);
  }

  private static List<Long> seqs(long first, long last) {
    return java.util.stream.LongStream.rangeClosed(first, last).boxed().toList();
  }

  @Test
  void concurrentAppendsFromTwoStoresNeverForkTheChainAndKeepEachKeyOnce() throws Exception {
    try (StateStore other = StateStore.open(config())) {
      List<StateStore> stores = List.of(store(), other);
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        StateStore target = stores.get(t % 2);
        int thread = t;
        tasks.add(
            () -> {
              int added = 0;
              for (int i = 0; i < 15; i++) {
                // every thread also appends the shared keys: each must land once
                added +=
                    target
                        .appendAudit(List.of(record("t" + thread + "-" + i), record("shared-" + i)))
                        .appended()
                        .size();
              }
              return added;
            });
      }

      List<Integer> added = StateStoreContract.concurrently(tasks);

      assertThat(added.stream().mapToInt(Integer::intValue).sum()).isEqualTo(8 * 15 + 15);
    }
    List<AuditEntry> log = all();
    assertThat(log).hasSize(8 * 15 + 15);
    assertThat(log).extracting(e -> e.record().deliveryKey()).doesNotHaveDuplicates();
    Verification result = verify();
    assertThat(result.valid()).as(String.valueOf(result.firstBroken())).isTrue();
    assertThat(result.entries()).isEqualTo(8 * 15 + 15);
  }

  @Test
  void theChainContinuesAfterReopen() {
    store().appendAudit(records("a", 3));

    reopen();
    store().appendAudit(records("b", 3));

    assertThat(all()).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(verify().valid()).isTrue();
  }

  @Test
  void theDatabaseRefusesToUpdateOrDeleteEntries() throws Exception {
    store().appendAudit(records("a", 2));

    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      assertThatThrownBy(
              () -> s.executeUpdate("UPDATE audit_log SET source = 'forged' WHERE seq = 1"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("append-only");
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_log WHERE seq = 2"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("append-only");
    }
    assertThat(all()).hasSize(2);
    assertThat(verify().valid()).isTrue();
  }

  @Test
  void verifyFindsTheEntryEditedBeneathTheStoreOnceItsGuardIsDropped() throws Exception {
    store().appendAudit(records("a", 5));

    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      dropGuard(s);
      s.executeUpdate("UPDATE audit_log SET envelope = '{\"forged\":true}' WHERE seq = 3");
    }

    Verification result = verify();
    assertThat(result.valid()).isFalse();
    assertThat(result.entries()).isEqualTo(2);
    assertThat(result.firstBroken().orElseThrow().seq()).isEqualTo(3);
    assertThat(result.firstBroken().orElseThrow().reason())
        .isEqualTo(Verification.Reason.EVENT_HASH_MISMATCH);
  }

  @Test
  void verifyFindsEntriesDeletedFromTheMiddleAndFromTheEnd() throws Exception {
    store().appendAudit(records("a", 6));

    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      dropGuard(s);
      s.executeUpdate("DELETE FROM audit_log WHERE seq = 6");
    }
    assertThat(verify().firstBroken().orElseThrow().seq()).isEqualTo(6);

    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM audit_log WHERE seq = 4");
    }
    Verification.Break broken = verify().firstBroken().orElseThrow();
    assertThat(broken.seq()).isEqualTo(4);
    assertThat(broken.reason()).isEqualTo(Verification.Reason.SEQUENCE_GAP);
  }

  private void dropGuard(Statement s) throws SQLException {
    if (store().kind().equals("postgresql")) {
      s.execute("DROP TRIGGER audit_log_no_change ON audit_log");
    } else {
      s.execute("DROP TRIGGER audit_log_no_update");
      s.execute("DROP TRIGGER audit_log_no_delete");
    }
  }
}
