package dev.herald.engine.router;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.event.EventId;
import dev.herald.core.routing.RoutingTable.Delivery;
import dev.herald.engine.router.TargetHeaders.Meta;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TargetHeadersTest {
  private static final EventId ID = new EventId(1_767_225_600_000L, 3, 1, 42);
  private static final Delivery.Ready READY =
      new Delivery.Ready("rule-1", "hook", "dk-1", "{}".getBytes(UTF_8), true);

  @Test
  void theTargetRecordDescribesItsDeliveryAndCarriesTraceAndHopsOfTheBusRecord() {
    Headers bus = new RecordHeaders();
    bus.add(TargetHeaders.TRACEPARENT, "00-abc-def-01".getBytes(UTF_8));
    bus.add(TargetHeaders.HOPS, "3".getBytes(UTF_8));
    Headers target = new RecordHeaders();

    TargetHeaders.write(target, ID, "orders", READY, bus);

    assertThat(target.toArray()).hasSize(1); // one binary header, nothing else to look up
    assertThat(TargetHeaders.read(target, 0))
        .contains(
            new Meta(
                ID.toString(),
                "orders",
                "rule-1",
                "dk-1",
                Instant.ofEpochMilli(1_767_225_600_000L),
                true,
                Optional.of("00-abc-def-01"),
                3));
  }

  @Test
  void aBusRecordWithoutTraceOrHopsGivesNoTraceAndZeroHops() {
    Headers target = new RecordHeaders();
    Delivery.Ready text = new Delivery.Ready("r", "t", "dk", "x".getBytes(UTF_8), false);

    TargetHeaders.write(target, ID, "orders", text, new RecordHeaders());

    Meta meta = TargetHeaders.read(target, 0).orElseThrow();
    assertThat(meta.traceparent()).isEmpty();
    assertThat(meta.hops()).isZero();
    assertThat(meta.json()).isFalse();
  }

  @Test
  void namesInAnyScriptSurviveTheRoundTrip() {
    Meta meta =
        new Meta("e", "bus-ü", "règle-✓", "k", Instant.ofEpochMilli(5), true, Optional.empty(), 0);

    Headers headers = new RecordHeaders();
    headers.add(TargetHeaders.META, TargetHeaders.encode(meta));

    assertThat(TargetHeaders.read(headers, 0)).contains(meta);
  }

  @Test
  void recordsOfEarlierReleasesWithTextHeadersAreStillRead() {
    Headers legacy = new RecordHeaders();
    legacy.add("herald-event-id", "ev-1".getBytes(UTF_8));
    legacy.add("herald-bus", "orders".getBytes(UTF_8));
    legacy.add("herald-rule", "r".getBytes(UTF_8));
    legacy.add("herald-delivery-key", "dk".getBytes(UTF_8));
    legacy.add("herald-input", "text".getBytes(UTF_8));
    legacy.add("herald-hops", "2".getBytes(UTF_8));

    assertThat(TargetHeaders.read(legacy, 77))
        .contains(
            new Meta(
                "ev-1", "orders", "r", "dk", Instant.ofEpochMilli(77), false, Optional.empty(), 2));
  }

  @Test
  void aRecordWithoutDeliveryHeadersOrWithADamagedOneDescribesNoDelivery() {
    Headers none = new RecordHeaders();
    none.add("herald-event-id", "ev-1".getBytes(UTF_8)); // no delivery key
    Headers truncated = new RecordHeaders();
    byte[] whole =
        TargetHeaders.encode(
            new Meta("e", "b", "r", "k", Instant.EPOCH, true, Optional.of("tp"), 1));
    truncated.add(TargetHeaders.META, Arrays.copyOf(whole, whole.length - 3));

    assertThat(TargetHeaders.read(none, 0)).isEmpty();
    assertThat(TargetHeaders.read(truncated, 0)).isEmpty();
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
