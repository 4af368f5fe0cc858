package dev.herald.analytics.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Values as a few closed spans: sorted, and split where two neighbours are more than a gap apart.
 * The DuckDB analytics store looks rows up by span, so that DuckDB's per-row-group min/max skips
 * everything between two spans: a batch of fresh deliveries has one span of ingestion times; a
 * retry of an hour-old event adds a second, small span instead of widening the first to an hour.
 * Stateless.
 */
final class Spans {

  /** From {@code first} to {@code last}, both included. */
  record Span(long first, long last) {}

  private Spans() {}

  /**
   * The spans covering {@code values}, lowest first; neighbours more than {@code gap} apart split.
   */
  static List<Span> of(LongStream values, long gap) {
    long[] sorted = values.sorted().toArray();
    List<Span> spans = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= sorted.length; i++) {
      if (i == sorted.length || sorted[i] - sorted[i - 1] > gap) {
        spans.add(new Span(sorted[start], sorted[i - 1]));
        start = i;
      }
    }
    return spans;
  }
}
