package dev.herald.targets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.RetryableException;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.audit.AuditRecord;
import dev.herald.core.config.ConfigException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code audit} target over an in-memory log (the state-store log is tested end to end in
 * herald-server); a failing log injects the store being down.
 */
class AuditTargetTest {
  /** An in-memory log: keys once, records in order. */
  static final class MemoryLog implements AuditLog {
    final List<AuditRecord> records = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();

    @Override
    public synchronized boolean append(AuditRecord record) {
      if (!keys.add(record.deliveryKey())) {
        return false;
      }
      records.add(record);
      return true;
    }
  }

  static TargetContext context(TargetServices services) {
    return new TargetContext(InstantSource.system(), false, Set.of(), Path.of("plugins"), services);
  }

  static Delivery delivery(String key, String input) {
    return new Delivery(
        key,
        "E-" + key,
        "audit-all",
        1,
        input.getBytes(UTF_8),
        true,
        Optional.empty(),
        Instant.now());
  }

  static final String ENVELOPE =
      "{\"version\":\"0\",\"id\":\"E-k1\",\"detail-type\":\"OrderPlaced\",\"source\":\"shop.orders\","
          + "\"time\":\"2026-11-26T10:00:00Z\",\"detail\":{\"orderId\":\"o-1\"}}";

  @Test
  void aDeliveryIsAppendedWithItsEnvelopeAsReceivedAndDelivered() throws Exception {
    MemoryLog log = new MemoryLog();
    try (Target target =
        Targets.create(
            TargetsTest.spec("{\"type\": \"audit\"}"),
            context(TargetServices.none().with(AuditLog.class, log)))) {

      assertThat(target.deliver(delivery("k1", ENVELOPE))).isEqualTo(new Outcome.Delivered());
    }

    AuditRecord record = log.records.getFirst();
    assertThat(record.deliveryKey()).isEqualTo("k1");
    assertThat(record.eventId()).isEqualTo("E-k1");
    assertThat(record.envelope()).isEqualTo(ENVELOPE);
    assertThat(record.source()).contains("shop.orders");
    assertThat(record.detailType()).contains("OrderPlaced");
    assertThat(record.eventTime()).contains(Instant.parse("2026-11-26T10:00:00Z"));
  }

  @Test
  void aDuplicateDeliveryIsDeliveredAndAddsNothing() throws Exception {
    MemoryLog log = new MemoryLog();
    try (Target target =
        Targets.create(
            TargetsTest.spec("{\"type\": \"audit\"}"),
            context(TargetServices.none().with(AuditLog.class, log)))) {
      target.deliver(delivery("k1", ENVELOPE));

      assertThat(target.deliver(delivery("k1", ENVELOPE))).isEqualTo(new Outcome.Delivered());
    }
    assertThat(log.records).hasSize(1);
  }

  @Test
  void aLogThatCannotBeWrittenIsRetried() throws Exception {
    AuditLog down =
        record -> {
          throw new RetryableException("the sqlite state store could not append: disk I/O error");
        };
    try (Target target =
        Targets.create(
            TargetsTest.spec("{\"type\": \"audit\"}"),
            context(TargetServices.none().with(AuditLog.class, down)))) {

      Outcome outcome = target.deliver(delivery("k1", ENVELOPE));

      assertThat(outcome).isInstanceOf(Outcome.Retry.class);
      assertThat(((Outcome.Retry) outcome).code()).isEqualTo("StoreUnavailable");
      assertThat(((Outcome.Retry) outcome).message()).contains("disk I/O error");
    }
  }

  @Test
  void aHeraldWithoutAnAuditLogRefusesAuditTargetsNamingTheType() {
    assertThatThrownBy(
            () -> Targets.create(TargetsTest.spec("{\"type\": \"audit\"}"), TargetsTest.CONTEXT))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> {
              assertThat(e.field()).isEqualTo("type");
              assertThat(e.getMessage()).contains("audit", "AuditLog");
            });
  }

  @Test
  void auditTakesNoSettings() {
    assertThatThrownBy(
            () ->
                Targets.create(
                    TargetsTest.spec("{\"type\": \"audit\", \"audit\": {\"x\": 1}}"),
                    context(TargetServices.none().with(AuditLog.class, new MemoryLog()))))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).startsWith("audit"));
  }
}
