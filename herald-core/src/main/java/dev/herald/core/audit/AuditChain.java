package dev.herald.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The canonical hashes of the audit log. Every hash is SHA-256, written as 64 lowercase hex
 * characters; every text is hashed as its UTF-8 bytes.
 *
 * <ul>
 *   <li><b>Event hash</b> = SHA-256(envelope), the envelope being the delivered input as stored.
 *   <li><b>Chain hash</b> = SHA-256 of ten fields, in this order, each written as {@code
 *       <length>:<value>\n} (the length is the decimal count of the value's UTF-8 bytes, so no
 *       value can be mistaken for another): {@code prevHash}, {@code eventHash}, {@code seq},
 *       {@code deliveryKey}, {@code eventId}, {@code bus}, {@code source}, {@code detailType},
 *       {@code eventTime}, {@code recordedAt}. Numbers and times are decimal: {@code seq} as is,
 *       times as milliseconds since the epoch (UTC). An absent value (bus, source, detail type,
 *       event time) is the empty string.
 *   <li><b>Genesis</b>: the first entry has seq 1 and {@code prevHash} = {@link #GENESIS}, 64
 *       zeros; each later entry has seq one more than the previous one and its chain hash as {@code
 *       prevHash}.
 * </ul>
 *
 * <p>For example, in Python: {@code f = lambda v: b"%d:%s\n" % (len(v.encode()), v.encode())} and
 * {@code hash = sha256(b"".join(f(v) for v in fields)).hexdigest()}.
 *
 * <p>Stateless; thread-safe.
 */
public final class AuditChain {
  /** The previous hash of the first entry: 64 zeros. */
  public static final String GENESIS = "0".repeat(64);

  private static final HexFormat HEX = HexFormat.of();

  private AuditChain() {}

  /** SHA-256 of the envelope's UTF-8 bytes, lowercase hex. */
  public static String eventHash(String envelope) {
    return HEX.formatHex(sha256().digest(envelope.getBytes(StandardCharsets.UTF_8)));
  }

  /** The chain hash of an entry (see the class comment for the exact definition). */
  public static String chainHash(
      String prevHash, String eventHash, long seq, AuditRecord record, Instant recordedAt) {
    MessageDigest sha = sha256();
    field(sha, prevHash);
    field(sha, eventHash);
    field(sha, Long.toString(seq));
    field(sha, record.deliveryKey());
    field(sha, record.eventId());
    field(sha, record.bus().orElse(""));
    field(sha, record.source().orElse(""));
    field(sha, record.detailType().orElse(""));
    field(sha, record.eventTime().map(t -> Long.toString(t.toEpochMilli())).orElse(""));
    field(sha, Long.toString(recordedAt.toEpochMilli()));
    return HEX.formatHex(sha.digest());
  }

  /**
   * The entry that follows {@code head}: the next seq, appended at {@code now} (to the millisecond)
   * or at the head's time when {@code now} is earlier, so that append times never go back along the
   * chain, even when instances' clocks disagree.
   */
  public static AuditEntry link(AuditHead head, AuditRecord record, Instant now) {
    Instant recordedAt = now.truncatedTo(ChronoUnit.MILLIS);
    if (recordedAt.isBefore(head.recordedAt())) {
      recordedAt = head.recordedAt();
    }
    long seq = head.seq() + 1;
    String eventHash = eventHash(record.envelope());
    return new AuditEntry(
        seq,
        record,
        recordedAt,
        eventHash,
        head.hash(),
        chainHash(head.hash(), eventHash, seq, record, recordedAt));
  }

  private static void field(MessageDigest sha, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    sha.update((byte) ':');
    sha.update(bytes);
    sha.update((byte) '\n');
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
