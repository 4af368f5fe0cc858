package dev.herald.store.internal;

import dev.herald.store.AnalyticsRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingestion times of a batch of analytics rows as a few closed spans: sorted, and split where
 * two neighbours are more than {@link #GAP} apart. A batch of fresh deliveries is one span of a
 * second or so; a retry of an hour-old event adds a second span instead of widening the first to an
 * hour, so a lookup by span reads only the row groups near each. Stateless.
 */
final class IngestSpans {
  static final Duration GAP = Duration.ofMinutes(1);

  /** From {@code first} to {@code last}, both included. */
  record Span(Instant first, Instant last) {}

  private IngestSpans() {}

  /** The spans covering every row's {@link AnalyticsRow#ingestedAt()}, earliest first. */
  static List<Span> of(List<AnalyticsRow> rows) {
    List<Instant> times = rows.stream().map(AnalyticsRow::ingestedAt).sorted().toList();
    List<Span> spans = new ArrayList<>();
    Instant first = null;
    Instant last = null;
    for (Instant time : times) {
      if (last != null && Duration.between(last, time).compareTo(GAP) > 0) {
        spans.add(new Span(first, last));
        first = null;
      }
      if (first == null) {
        first = time;
      }
      last = time;
    }
    if (first != null) {
      spans.add(new Span(first, last));
    }
    return spans;
  }
}
