package dev.herald.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.audit.Verification.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A valid chain of {@code n} entries. */
  static List<AuditEntry> chain(int n) {
    List<AuditEntry> entries = new ArrayList<>();
    AuditHead head = AuditHead.GENESIS;
    for (int i = 1; i <= n; i++) {
      String envelope = "{\"id\":\"E" + i + "\",\"source\":\"s\",\"detail-type\":\"T\"}";
      AuditEntry entry =
          AuditChain.link(head, AuditRecord.of("k" + i, "E" + i, envelope), T0.plusMillis(i));
      entries.add(entry);
      head = entry.asHead();
    }
    return entries;
  }

  static Verification verify(List<AuditEntry> entries, AuditHead head) {
    ChainVerifier verifier = new ChainVerifier();
    for (AuditEntry entry : entries) {
      if (!verifier.accept(entry)) {
        break;
      }
    }
    return verifier.finish(head);
  }

  static Verification verify(List<AuditEntry> entries) {
    return verify(entries, entries.isEmpty() ? AuditHead.GENESIS : entries.getLast().asHead());
  }

  static AuditEntry withEnvelope(AuditEntry e, String envelope) {
    AuditRecord r = e.record();
    return new AuditEntry(
        e.seq(),
        new AuditRecord(
            r.deliveryKey(),
            r.eventId(),
            r.bus(),
            r.source(),
            r.detailType(),
            r.eventTime(),
            envelope),
        e.recordedAt(),
        e.eventHash(),
        e.prevHash(),
        e.hash());
  }

  @Test
  void anEmptyLogIsValidWithTheGenesisHead() {
    Verification result = verify(List.of());

    assertThat(result.valid()).isTrue();
    assertThat(result.entries()).isZero();
    assertThat(result.head()).isEqualTo(AuditChain.GENESIS);
  }

  @Test
  void aChainBuiltByLinkIsValidAndItsHeadIsTheLastHash() {
    List<AuditEntry> entries = chain(50);

    Verification result = verify(entries);

    assertThat(result.valid()).isTrue();
    assertThat(result.entries()).isEqualTo(50);
    assertThat(result.head()).isEqualTo(entries.getLast().hash());
    assertThat(result.firstBroken()).isEmpty();
  }

  @Test
  void anEditedEnvelopeIsAnEventHashMismatchAtThatEntry() {
    List<AuditEntry> entries = new ArrayList<>(chain(20));
    entries.set(16, withEnvelope(entries.get(16), "{\"id\":\"E17\",\"source\":\"forged\"}"));

    Verification result = verify(entries);

    assertThat(result.valid()).isFalse();
    assertThat(result.entries()).isEqualTo(16);
    var broken = result.firstBroken().orElseThrow();
    assertThat(broken.seq()).isEqualTo(17);
    assertThat(broken.reason()).isEqualTo(Reason.EVENT_HASH_MISMATCH);
    assertThat(broken.reason().text()).isEqualTo("event hash mismatch");
    assertThat(broken.entry()).contains(entries.get(16));
  }

  @Test
  void anEditedEnvelopeWithItsEventHashRecomputedIsAChainHashMismatch() {
    List<AuditEntry> entries = new ArrayList<>(chain(5));
    AuditEntry e = withEnvelope(entries.get(2), "{}");
    entries.set(
        2,
        new AuditEntry(
            e.seq(),
            e.record(),
            e.recordedAt(),
            AuditChain.eventHash("{}"),
            e.prevHash(),
            e.hash()));

    var broken = verify(entries).firstBroken().orElseThrow();

    assertThat(broken.seq()).isEqualTo(3);
    assertThat(broken.reason()).isEqualTo(Reason.CHAIN_HASH_MISMATCH);
  }

  @Test
  void anEditedFieldIsAChainHashMismatchAtThatEntry() {
    List<AuditEntry> entries = new ArrayList<>(chain(5));
    AuditEntry e = entries.get(1);
    entries.set(
        1,
        new AuditEntry(
            e.seq(),
            e.record().withBus("other"),
            e.recordedAt(),
            e.eventHash(),
            e.prevHash(),
            e.hash()));

    var broken = verify(entries).firstBroken().orElseThrow();

    assertThat(broken.seq()).isEqualTo(2);
    assertThat(broken.reason()).isEqualTo(Reason.CHAIN_HASH_MISMATCH);
  }

  @Test
  void aRehashedEntryBreaksTheLinkOfTheNextOne() {
    List<AuditEntry> entries = new ArrayList<>(chain(5));
    AuditEntry e = entries.get(1);
    AuditRecord forged = e.record().withBus("other");
    String hash = AuditChain.chainHash(e.prevHash(), e.eventHash(), 2, forged, e.recordedAt());
    entries.set(1, new AuditEntry(2, forged, e.recordedAt(), e.eventHash(), e.prevHash(), hash));

    Verification result = verify(entries);

    assertThat(result.entries()).isEqualTo(2);
    var broken = result.firstBroken().orElseThrow();
    assertThat(broken.seq()).isEqualTo(3);
    assertThat(broken.reason()).isEqualTo(Reason.CHAIN_HASH_MISMATCH);
    assertThat(broken.message()).contains("previous hash");
  }

  @Test
  void aMissingEntryIsASequenceGapAtTheFirstMissingSeq() {
    List<AuditEntry> entries = new ArrayList<>(chain(10));
    entries.remove(6);

    var broken = verify(entries).firstBroken().orElseThrow();

    assertThat(broken.seq()).isEqualTo(7);
    assertThat(broken.reason()).isEqualTo(Reason.SEQUENCE_GAP);
    assertThat(broken.message()).contains("expected seq 7, found seq 8");
    assertThat(broken.entry()).isEmpty();
  }

  @Test
  void aLogThatDoesNotStartAtOneIsASequenceGap() {
    List<AuditEntry> entries = new ArrayList<>(chain(3));
    entries.removeFirst();

    assertThat(verify(entries).firstBroken().orElseThrow().seq()).isEqualTo(1);
  }

  @Test
  void entriesMissingAtTheEndAreAGapBeforeTheStoredHead() {
    List<AuditEntry> entries = chain(10);

    Verification result = verify(entries.subList(0, 8), entries.getLast().asHead());

    assertThat(result.entries()).isEqualTo(8);
    var broken = result.firstBroken().orElseThrow();
    assertThat(broken.seq()).isEqualTo(9);
    assertThat(broken.reason()).isEqualTo(Reason.SEQUENCE_GAP);
  }

  @Test
  void aStoredHeadThatIsNotTheLastHashIsAChainHashMismatch() {
    List<AuditEntry> entries = chain(4);
    AuditHead forged = new AuditHead(4, "f".repeat(64), T0);

    var broken = verify(entries, forged).firstBroken().orElseThrow();

    assertThat(broken.seq()).isEqualTo(4);
    assertThat(broken.reason()).isEqualTo(Reason.CHAIN_HASH_MISMATCH);
  }

  @Test
  void theFirstBreakIsKeptAndLaterEntriesAreNotRead() {
    List<AuditEntry> entries = new ArrayList<>(chain(10));
    entries.set(2, withEnvelope(entries.get(2), "x"));
    entries.set(5, withEnvelope(entries.get(5), "y"));
    ChainVerifier verifier = new ChainVerifier();

    List<Boolean> accepted = entries.stream().map(verifier::accept).toList();

    assertThat(accepted)
        .containsExactly(true, true, false, false, false, false, false, false, false, false);
    assertThat(verifier.finish(entries.getLast().asHead()).firstBroken())
        .map(b -> b.seq())
        .contains(3L);
  }
}
