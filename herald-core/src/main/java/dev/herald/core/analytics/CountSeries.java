package dev.herald.core.analytics;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The counts of one key (a detail type or a source) over a {@link CountQuery}'s range: its total
 * and one point per interval that had events, in time order (intervals without events are left
 * out).
 */
public record CountSeries(String key, long total, List<Point> points) {

  public CountSeries {
    Objects.requireNonNull(key, "key");
    points = List.copyOf(points);
  }

  /** The events of one interval, {@code t} being its start. */
  public record Point(Instant t, long count) {
    public Point {
      Objects.requireNonNull(t, "t");
    }
  }
}
