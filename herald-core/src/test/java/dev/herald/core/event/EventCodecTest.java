package dev.herald.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  @Test
  void storedEventReadsBackWithIdBusAndIngestionTimeFromItsCoordinates() throws Exception {
    ObjectNode detail =
        (ObjectNode) Json.MAPPER.readTree("{\"orderId\": \"o-1\", \"total\": 42.5}");
    NewEvent event =
        new NewEvent(
            "orders",
            "shop.orders",
            "OrderPlaced",
            Instant.parse("2026-11-26T10:00:00Z"),
            List.of("arn:1"),
            detail,
            Optional.of("o-1"),
            Optional.of("client-1"));
    EventId id = new EventId(Instant.parse("2026-11-26T10:00:01.234Z").toEpochMilli(), 3, 1, 99);

    PublishedEvent back = EventCodec.decode(id, "orders", EventCodec.value(event));

    assertThat(back.id()).isEqualTo(id);
    assertThat(back.bus()).isEqualTo("orders");
    assertThat(back.source()).isEqualTo("shop.orders");
    assertThat(back.detailType()).isEqualTo("OrderPlaced");
    assertThat(back.time()).isEqualTo(event.time());
    assertThat(back.ingestedAt()).isEqualTo(Instant.parse("2026-11-26T10:00:01.234Z"));
    assertThat(back.resources()).containsExactly("arn:1");
    assertThat(back.detail()).isEqualTo(detail);
    assertThat(back.orderingKey()).contains("o-1");
    assertThat(EventCodec.key(event))
        .hasValueSatisfying(
            k -> assertThat(new String(k, StandardCharsets.UTF_8)).isEqualTo("o-1"));

    ObjectNode json = EventCodec.toJson(back);
    assertThat(json.get("id").asText()).isEqualTo(id.toString());
    assertThat(json.get("ingestedAt").asText()).isEqualTo("2026-11-26T10:00:01.234Z");
    assertThat(json.get("orderingKey").asText()).isEqualTo("o-1");
  }

  @Test
  void eventWithoutOrderingKeyHasNoKey() {
    NewEvent event =
        new NewEvent(
            "default",
            "s",
            "T",
            Instant.EPOCH,
            List.of(),
            Json.object(),
            Optional.empty(),
            Optional.empty());
    assertThat(EventCodec.key(event)).isEmpty();
    assertThat(
            EventCodec.toJson(
                    EventCodec.decode(new EventId(1, 0, 0, 0), "default", EventCodec.value(event)))
                .has("orderingKey"))
        .isFalse();
  }

  @Test
  void aRecordThatIsNotAnEventIsAClearError() {
    assertThatThrownBy(
            () ->
                EventCodec.decode(
                    new EventId(1, 0, 0, 0), "default", "nope".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not an event");
  }
}
