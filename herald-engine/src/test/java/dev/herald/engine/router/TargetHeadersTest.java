package dev.herald.engine.router;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.event.EventId;
import dev.herald.core.routing.RoutingTable.Delivery;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TargetHeadersTest {
  private static final EventId ID = new EventId(1_767_225_600_000L, 3, 1, 42);
  private static final Delivery.Ready READY =
      new Delivery.Ready("rule-1", "hook", "dk-1", "{}".getBytes(UTF_8), true);

  @Test
  void theTargetRecordCarriesTheHopsOfTheBusRecord() {
    Headers bus = new RecordHeaders();
    bus.add(TargetHeaders.TRACEPARENT, "00-abc-def-01".getBytes(UTF_8));
    bus.add(TargetHeaders.HOPS, "3".getBytes(UTF_8));
    Headers target = new RecordHeaders();

    TargetHeaders.write(target, ID, "orders", READY, bus);

    assertThat(TargetHeaders.read(target, TargetHeaders.HOPS)).isEqualTo("3");
    assertThat(TargetHeaders.hops(target)).isEqualTo(3);
    assertThat(TargetHeaders.read(target, TargetHeaders.TRACEPARENT)).isEqualTo("00-abc-def-01");
    assertThat(TargetHeaders.read(target, TargetHeaders.DELIVERY_KEY)).isEqualTo("dk-1");
  }

  @Test
  void aBusRecordWithoutHopsGivesATargetRecordWithoutHopsWhichCountsAsZero() {
    Headers target = new RecordHeaders();

    TargetHeaders.write(target, ID, "orders", READY, new RecordHeaders());

    assertThat(target.lastHeader(TargetHeaders.HOPS)).isNull();
    assertThat(TargetHeaders.hops(target)).isZero();
  }

  @Test
  void hopsThatAreNotANonNegativeNumberCountAsZero() {
    Headers garbage = new RecordHeaders();
    garbage.add(TargetHeaders.HOPS, "x".getBytes(UTF_8));
    Headers negative = new RecordHeaders();
    negative.add(TargetHeaders.HOPS, "-4".getBytes(UTF_8));

    assertThat(TargetHeaders.hops(garbage)).isZero();
    assertThat(TargetHeaders.hops(negative)).isZero();
  }
}
