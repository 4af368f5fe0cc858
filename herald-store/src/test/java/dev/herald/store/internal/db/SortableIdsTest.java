package dev.herald.store.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SortableIdsTest {
  private final AtomicLong millis =
      new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
  private final InstantSource clock = () -> Instant.ofEpochMilli(millis.get());
  private final SortableIds ids = new SortableIds(clock, new SplittableRandom(42));

  @Test
  void idsAre26CrockfordCharactersLedByTheTime() {
    String id = ids.next();

    assertThat(id).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}");
    assertThat(id.substring(0, 10))
        .isEqualTo(SortableIds.encode(millis.get(), 0, 0).substring(0, 10));
  }

  @Test
  void idsOfOneMillisecondSortInTheOrderMade() {
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      made.add(ids.next());
    }

    assertThat(made).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void idsKeepSortingWhenTheClockStepsBack() {
    String before = ids.next();
    millis.addAndGet(-60_000);

    String after = ids.next();

    assertThat(after).isGreaterThan(before);
  }

  @Test
  void laterMillisecondsSortLater() {
    String first = ids.next();
    millis.incrementAndGet();

    assertThat(ids.next()).isGreaterThan(first);
  }

  @Test
  void encodingCoversTheWhole128Bits() {
    assertThat(SortableIds.encode(0, 0, 0)).isEqualTo("0".repeat(26));
    assertThat(SortableIds.encode((1L << 48) - 1, 0xFFFF, -1L)).isEqualTo("7" + "Z".repeat(25));
    assertThat(SortableIds.encode(0, 0, 1)).isEqualTo("0".repeat(25) + "1");
  }
}
