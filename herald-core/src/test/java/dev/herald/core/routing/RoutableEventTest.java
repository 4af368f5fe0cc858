package dev.herald.core.routing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.EventCodec;
import dev.herald.core.event.EventId;
import dev.herald.core.event.NewEvent;
import dev.herald.core.event.PublishedEvent;
import dev.herald.core.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoutableEventTest {
  private static final EventId ID = new EventId(1_767_225_600_000L, 2, 1, 7);

  private static ObjectNode detail(String json) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(json);
  }

  private static byte[] record(ObjectNode detail, List<String> resources, Optional<String> key) {
    return EventCodec.value(
        new NewEvent(
            "orders",
            "shop.orders",
            "Order \"Placed\"",
            Instant.parse("2026-12-07T10:15:30.123Z"),
            resources,
            detail,
            key,
            Optional.empty()));
  }

  @Test
  void readsTheSameEventAsTheDecoderAndTheSameEnvelopeAsTheTree() throws Exception {
    byte[] value =
        record(
            detail(
                "{\"orderId\":\"o-1\",\"total\":42.50,\"n\":1e3,\"items\":[{\"sku\":\"é✓\"}],"
                    + "\"note\":\"a\\\"b\\\\c\\n\",\"nested\":{\"detail\":{\"x\":null}}}"),
            List.of("arn:one", "arn:two"),
            Optional.of("o-1"));

    RoutableEvent read = RoutableEvent.read(ID, "orders", value, "123456789012", "eu-1");

    PublishedEvent decoded = EventCodec.decode(ID, "orders", value);
    ObjectNode tree = Envelope.of(decoded, "123456789012", "eu-1", Optional.empty());
    assertThat(read.event()).isEqualTo(decoded);
    assertThat(read.envelope()).isEqualTo(tree);
    assertThat(new String(read.envelopeBytes(), UTF_8)).isEqualTo(tree.toString());
  }

  @Test
  void anEmptyDetailAndNoResourcesGiveAValidEnvelope() throws Exception {
    byte[] value = record(detail("{}"), List.of(), Optional.empty());

    RoutableEvent read = RoutableEvent.read(ID, "orders", value, "a", "r");

    assertThat(Json.MAPPER.readTree(read.envelopeBytes())).isEqualTo(read.envelope());
    assertThat(read.event().orderingKey()).isEmpty();
  }

  @Test
  void aRecordThatIsNotAnEventIsRefusedWithItsId() {
    for (String bad :
        List.of("[]", "{\"time\":\"2026-01-01T00:00:00Z\"}", "{\"detail\":{}}", "{\"detail\":")) {
      assertThatThrownBy(() -> RoutableEvent.read(ID, "b", bad.getBytes(UTF_8), "a", "r"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(ID.toString());
    }
  }
}
