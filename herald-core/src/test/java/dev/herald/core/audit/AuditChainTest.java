package dev.herald.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditChainTest {
  static final String ENVELOPE =
      "{\"version\":\"0\",\"id\":\"E1\",\"detail-type\":\"OrderPlaced\",\"source\":\"shop.orders\","
          + "\"account\":\"000000000000\",\"time\":\"2026-11-26T10:00:00Z\",\"region\":\"local\","
          + "\"resources\":[],\"detail\":{\"orderId\":\"o-1\",\"note\":\"héllo\"}}";
  static final Instant APPENDED = Instant.ofEpochMilli(1_795_687_201_234L);

  @Test
  void hashesMatchTheDocumentedDefinitionComputedIndependently() {
    // expected values computed with Python's hashlib from the definition in AuditChain's comment
    AuditRecord first = AuditRecord.of("k-1", "E1", ENVELOPE).withBus("default");
    AuditEntry one = AuditChain.link(AuditHead.GENESIS, first, APPENDED);

    assertThat(one.eventHash())
        .isEqualTo("16ea0c6c00afd272cf739a4deaa5777d14b5987e1f1a78849a3d568023ec2aee");
    assertThat(one.prevHash()).isEqualTo("0".repeat(64)).isEqualTo(AuditChain.GENESIS);
    assertThat(one.hash())
        .isEqualTo("af5c5ea2a4c78a94b2108d83dfb5b36c346c149c3c4de2f7ba1d6de58858ae7a");

    AuditEntry two =
        AuditChain.link(one.asHead(), AuditRecord.of("k-2", "E2", "plain text"), APPENDED);
    assertThat(two.seq()).isEqualTo(2);
    assertThat(two.prevHash()).isEqualTo(one.hash());
    assertThat(two.hash())
        .isEqualTo("22fb39a28be171bb3f68d833d7b4726bbd43aa83c5016c9cf56e149ae8a6eec3");
  }

  @Test
  void aRecordReadsSourceDetailTypeAndTimeFromTheDeliveredEnvelope() {
    AuditRecord record = AuditRecord.of("k-1", "E1", ENVELOPE);

    assertThat(record.source()).contains("shop.orders");
    assertThat(record.detailType()).contains("OrderPlaced");
    assertThat(record.eventTime()).contains(Instant.parse("2026-11-26T10:00:00Z"));
    assertThat(record.bus()).isEmpty();
    assertThat(record.envelope()).isEqualTo(ENVELOPE);
  }

  @Test
  void aShapedOrTextInputHasNoSourceDetailTypeOrTime() {
    for (String input : new String[] {"{\"orderId\":\"o-1\"}", "plain text", "[1,2]", "", "{"}) {
      AuditRecord record = AuditRecord.of("k", "E", input);
      assertThat(record.source()).as(input).isEmpty();
      assertThat(record.detailType()).as(input).isEmpty();
      assertThat(record.eventTime()).as(input).isEmpty();
      assertThat(record.envelope()).isEqualTo(input);
    }
    assertThat(AuditRecord.of("k", "E", "{\"time\":\"yesterday\",\"source\":7}").eventTime())
        .isEmpty();
  }

  @Test
  void eventTimeIsKeptToTheMillisecond() {
    AuditRecord record =
        AuditRecord.of("k", "E", "{\"time\":\"2026-11-26T10:00:00.123456789+01:00\"}");

    assertThat(record.eventTime()).contains(Instant.parse("2026-11-26T09:00:00.123Z"));
  }

  @Test
  void everyFieldChangesTheChainHash() {
    AuditRecord base =
        new AuditRecord(
            "k",
            "E",
            Optional.of("b"),
            Optional.of("s"),
            Optional.of("d"),
            Optional.of(APPENDED),
            "{}");
    String hash = AuditChain.chainHash(AuditChain.GENESIS, "e", 1, base, APPENDED);

    assertThat(
            new String[] {
              AuditChain.chainHash("1" + AuditChain.GENESIS.substring(1), "e", 1, base, APPENDED),
              AuditChain.chainHash(AuditChain.GENESIS, "f", 1, base, APPENDED),
              AuditChain.chainHash(AuditChain.GENESIS, "e", 2, base, APPENDED),
              AuditChain.chainHash(AuditChain.GENESIS, "e", 1, base, APPENDED.plusMillis(1)),
              chain(
                  new AuditRecord(
                      "j",
                      "E",
                      base.bus(),
                      base.source(),
                      base.detailType(),
                      base.eventTime(),
                      "{}")),
              chain(
                  new AuditRecord(
                      "k",
                      "F",
                      base.bus(),
                      base.source(),
                      base.detailType(),
                      base.eventTime(),
                      "{}")),
              chain(
                  new AuditRecord(
                      "k",
                      "E",
                      Optional.empty(),
                      base.source(),
                      base.detailType(),
                      base.eventTime(),
                      "{}")),
              chain(
                  new AuditRecord(
                      "k",
                      "E",
                      base.bus(),
                      Optional.of("t"),
                      base.detailType(),
                      base.eventTime(),
                      "{}")),
              chain(
                  new AuditRecord(
                      "k",
                      "E",
                      base.bus(),
                      base.source(),
                      Optional.of("x"),
                      base.eventTime(),
                      "{}")),
              chain(
                  new AuditRecord(
                      "k",
                      "E",
                      base.bus(),
                      base.source(),
                      base.detailType(),
                      Optional.empty(),
                      "{}"))
            })
        .doesNotContain(hash)
        .doesNotHaveDuplicates();
  }

  @Test
  void fieldsAreLengthPrefixedSoThatMovingTextBetweenThemChangesTheHash() {
    AuditRecord ab =
        new AuditRecord(
            "k", "E", Optional.of("ab"), Optional.of("c"), Optional.empty(), Optional.empty(), "");
    AuditRecord a =
        new AuditRecord(
            "k", "E", Optional.of("a"), Optional.of("bc"), Optional.empty(), Optional.empty(), "");

    assertThat(chain(ab)).isNotEqualTo(chain(a));
  }

  @Test
  void appendTimesNeverGoBackAlongTheChain() {
    AuditHead head = new AuditHead(5, "h".repeat(64), APPENDED);

    AuditEntry late =
        AuditChain.link(head, AuditRecord.of("k", "E", "{}"), APPENDED.minusSeconds(3));
    AuditEntry later =
        AuditChain.link(head, AuditRecord.of("k", "E", "{}"), APPENDED.plusNanos(2_500_000));

    assertThat(late.recordedAt()).isEqualTo(APPENDED);
    assertThat(later.recordedAt()).isEqualTo(APPENDED.plusMillis(2));
    assertThat(late.seq()).isEqualTo(6);
  }

  private static String chain(AuditRecord record) {
    return AuditChain.chainHash(AuditChain.GENESIS, "e", 1, record, APPENDED);
  }
}
