package dev.herald.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventIdTest {

  @Test
  void roundTripsEveryField() {
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      EventId id =
          new EventId(
              random.nextLong(EventId.MAX_48 + 1),
              random.nextInt(0x10000),
              random.nextInt(0x10000),
              random.nextLong(EventId.MAX_48 + 1));
      String text = id.toString();
      assertThat(text).hasSize(EventId.LENGTH).matches("[0-9A-HJKMNP-TV-Z]{26}");
      assertThat(EventId.parse(text)).contains(id);
    }
  }

  @Test
  void extremesRoundTrip() {
    EventId max = new EventId(EventId.MAX_48, 0xFFFF, 0xFFFF, EventId.MAX_48);
    EventId zero = new EventId(0, 0, 0, 0);
    assertThat(EventId.parse(max.toString())).contains(max);
    assertThat(zero.toString()).isEqualTo("00000000000000000000000000");
    assertThat(max.toString()).startsWith("7");
  }

  @Test
  void sortsByIngestionTimeFirst() {
    long now = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();
    List<String> ids = new ArrayList<>();
    ids.add(new EventId(now + 1, 0, 0, 0).toString());
    ids.add(new EventId(now, 65535, 65535, EventId.MAX_48).toString());
    ids.add(new EventId(now + 1000, 0, 3, 7).toString());
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(null);
    assertThat(sorted).containsExactly(ids.get(1), ids.get(0), ids.get(2));
  }

  @Test
  void parseIsCaseInsensitiveAndRejectsMalformedIds() {
    EventId id = new EventId(1_764_151_200_000L, 1, 2, 3);
    assertThat(EventId.parse(id.toString().toLowerCase(java.util.Locale.ROOT))).contains(id);
    assertThat(EventId.parse("")).isEmpty();
    assertThat(EventId.parse(null)).isEmpty();
    assertThat(EventId.parse("0123456789ABCDEFGHJKMNPQR")).isEmpty(); // 25 chars
    assertThat(EventId.parse("0123456789ABCDEFGHJKMNPQRU")).isEmpty(); // U is not Crockford
    assertThat(EventId.parse("80000000000000000000000000")).isEmpty(); // over 128 bits
    assertThat(EventId.parse("0000000000000000000000000é")).isEmpty();
  }

  @Test
  void rejectsOutOfRangeParts() {
    assertThatThrownBy(() -> new EventId(-1, 0, 0, 0)).hasMessageContaining("ingestedAtMillis");
    assertThatThrownBy(() -> new EventId(0, 70000, 0, 0)).hasMessageContaining("busOrdinal");
    assertThatThrownBy(() -> new EventId(0, 0, -1, 0)).hasMessageContaining("partition");
    assertThatThrownBy(() -> new EventId(0, 0, 0, EventId.MAX_48 + 1))
        .hasMessageContaining("offset");
  }
}
