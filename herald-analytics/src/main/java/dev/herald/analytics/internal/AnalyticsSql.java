package dev.herald.analytics.internal;

import dev.herald.analytics.AnalyticsRow;
import dev.herald.core.analytics.CountQuery;
import dev.herald.core.analytics.CountSeries;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What both analytics databases share: the count query and the per-minute tallies. Stateless. */
final class AnalyticsSql {

  /** One cell of the per-minute counts. */
  record MinuteKey(String bus, String source, String detailType, long epochMinute)
      implements Comparable<MinuteKey> {
    private static final Comparator<MinuteKey> ORDER =
        Comparator.comparing(MinuteKey::bus)
            .thenComparing(MinuteKey::source)
            .thenComparing(MinuteKey::detailType)
            .thenComparingLong(MinuteKey::epochMinute);

    @Override
    public int compareTo(MinuteKey other) {
      return ORDER.compare(this, other);
    }
  }

  private AnalyticsSql() {}

  /** The rows whose delivery key is one of {@code keys}, in their order. */
  static List<AnalyticsRow> withKeys(List<AnalyticsRow> rows, Set<String> keys) {
    return rows.stream().filter(row -> keys.contains(row.deliveryKey())).toList();
  }

  /** The counts {@code rows} add, by cell, in a fixed order (so writers lock in one order). */
  static Map<MinuteKey, Long> tally(List<AnalyticsRow> rows) {
    Map<MinuteKey, Long> counts = new TreeMap<>();
    for (AnalyticsRow row : rows) {
      counts.merge(
          new MinuteKey(row.bus(), row.source(), row.detailType(), row.minute()), 1L, Long::sum);
    }
    return counts;
  }

  /** Microseconds since the epoch, as both databases' timestamps hold them. */
  static long micros(Instant time) {
    return Math.addExact(
        Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000);
  }

  /** Runs {@code query} over {@code analytics_minute_counts}: portable SQL for both databases. */
  static List<CountSeries> counts(Connection connection, CountQuery query) throws SQLException {
    String column = query.groupBy() == CountQuery.GroupBy.SOURCE ? "source" : "detail_type";
    String bus = query.bus().isPresent() ? " AND bus = ?" : "";
    String sql =
        "WITH top_keys AS (SELECT "
            + column
            + " AS k, SUM(events) AS total FROM analytics_minute_counts"
            + " WHERE epoch_minute >= ? AND epoch_minute < ?"
            + bus
            + " GROUP BY "
            + column
            + " ORDER BY total DESC, k LIMIT ?)"
            + " SELECT c."
            + column
            + ", c.epoch_minute - (((c.epoch_minute % ?) + ?) % ?) AS bucket,"
            + " CAST(SUM(c.events) AS BIGINT) AS events"
            + " FROM analytics_minute_counts c JOIN top_keys t ON c."
            + column
            + " = t.k WHERE c.epoch_minute >= ? AND c.epoch_minute < ?"
            + bus.replace("bus", "c.bus")
            + " GROUP BY c."
            + column
            + ", bucket";
    Map<String, List<CountSeries.Point>> points = new LinkedHashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, query);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          points
              .computeIfAbsent(rows.getString(1), k -> new ArrayList<>())
              .add(
                  new CountSeries.Point(
                      Instant.ofEpochSecond(rows.getLong(2) * 60), rows.getLong(3)));
        }
      }
    }
    return series(points);
  }

  private static void bind(PreparedStatement statement, CountQuery query) throws SQLException {
    int i = 0;
    statement.setLong(++i, query.fromMinute());
    statement.setLong(++i, query.toMinute());
    if (query.bus().isPresent()) {
      statement.setString(++i, query.bus().get());
    }
    statement.setInt(++i, query.top());
    long width = query.interval().minutes();
    statement.setLong(++i, width);
    statement.setLong(++i, width);
    statement.setLong(++i, width);
    statement.setLong(++i, query.fromMinute());
    statement.setLong(++i, query.toMinute());
    if (query.bus().isPresent()) {
      statement.setString(++i, query.bus().get());
    }
  }

  private static List<CountSeries> series(Map<String, List<CountSeries.Point>> points) {
    List<CountSeries> series = new ArrayList<>();
    points.forEach(
        (key, list) -> {
          list.sort(Comparator.comparing(CountSeries.Point::t));
          long total = list.stream().mapToLong(CountSeries.Point::count).sum();
          series.add(new CountSeries(key, total, list));
        });
    series.sort(
        Comparator.comparingLong(CountSeries::total).reversed().thenComparing(CountSeries::key));
    return series;
  }
}
