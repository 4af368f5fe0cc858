package dev.herald.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.analytics.CountQuery;
import dev.herald.core.analytics.CountQuery.GroupBy;
import dev.herald.core.analytics.CountQuery.Interval;
import dev.herald.core.analytics.CountSeries;
import dev.herald.core.analytics.CountSeries.Point;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AnalyticsStore} does, whatever the database: counts per minute, hour and day,
 * exactly once per delivery key, the top keys, bounded ranges. Subclasses provide the database.
 */
abstract class AnalyticsStoreContract {
  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  static final InstantSource CLOCK = InstantSource.system();

  AnalyticsConfig config;
  AnalyticsStore store;
  private int ids;

  /** A configuration naming a new, empty store (for PostgreSQL, beside a state store). */
  abstract AnalyticsConfig newConfig() throws Exception;

  /** What {@link AnalyticsStore#kind()} answers. */
  abstract String expectedKind();

  /** A plain JDBC connection to the store's database, to look beneath the API; store closed. */
  abstract Connection rawConnection() throws Exception;

  /** A timestamp column as an instant (DuckDB's are UTC without a zone, PostgreSQL's with). */
  abstract Instant instant(ResultSet row, int column) throws Exception;

  void cleanUp() throws Exception {}

  @BeforeEach
  final void openStore() throws Exception {
    config = newConfig();
    store = AnalyticsStore.open(config, CLOCK);
  }

  @AfterEach
  final void closeStore() throws Exception {
    store.close();
    cleanUp();
  }

  final AnalyticsStore reopen() {
    store.close();
    store = AnalyticsStore.open(config, CLOCK);
    return store;
  }

  AnalyticsRow row(String key, String bus, String source, String detailType, Instant time) {
    String eventId = "EVENT-" + ids++;
    return new AnalyticsRow(
        key,
        eventId,
        bus,
        source,
        detailType,
        time,
        time.plusMillis(5),
        time.plusMillis(20),
        "{\"version\":\"0\",\"id\":\""
            + eventId
            + "\",\"detail-type\":\""
            + detailType
            + "\",\"source\":\""
            + source
            + "\",\"detail\":{}}");
  }

  AnalyticsRow row(String key, String detailType, Instant time) {
    return row(key, "default", "shop.orders", detailType, time);
  }

  boolean append(AnalyticsRow row) {
    return store.append(row, CLOCK.instant().plusSeconds(30));
  }

  /** The totals by detail type of the minute starting at {@link #T0}, highest first. */
  final List<Long> firstMinuteTotals() {
    return store
        .counts(query(GroupBy.DETAIL_TYPE, Interval.MINUTE, T0, T0.plusSeconds(60)))
        .stream()
        .map(CountSeries::total)
        .toList();
  }

  static CountQuery query(GroupBy groupBy, Interval interval, Instant from, Instant to) {
    return new CountQuery(Optional.empty(), groupBy, interval, from, to, 10);
  }

  static Point point(String time, long count) {
    return new Point(Instant.parse(time), count);
  }

  @Test
  void answersItsKind() {
    assertThat(store.kind()).isEqualTo(expectedKind());
  }

  @Test
  void countsAppendedEventsPerMinuteByDetailType() {
    for (int i = 0; i < 20; i++) {
      append(row("k" + i, "OrderPlaced", T0.plusSeconds(i)));
    }
    append(row("k20", "OrderPlaced", T0.plusSeconds(61)));
    append(row("k21", "OrderShipped", T0.plusSeconds(125)));

    List<CountSeries> series =
        store.counts(query(GroupBy.DETAIL_TYPE, Interval.MINUTE, T0, T0.plusSeconds(3600)));

    assertThat(series)
        .containsExactly(
            new CountSeries(
                "OrderPlaced",
                21,
                List.of(point("2026-11-26T10:00:00Z", 20), point("2026-11-26T10:01:00Z", 1))),
            new CountSeries("OrderShipped", 1, List.of(point("2026-11-26T10:02:00Z", 1))));
  }

  @Test
  void aQuerySeesEveryAppendThatReturnedBeforeIt() {
    CountQuery minute = query(GroupBy.DETAIL_TYPE, Interval.MINUTE, T0, T0.plusSeconds(60));
    for (int i = 1; i <= 5; i++) {
      append(row("seen-" + i, "T", T0));
      for (int reader = 0; reader < 3; reader++) { // every reader connection, whichever answers
        assertThat(store.counts(minute)).extracting(CountSeries::total).containsExactly((long) i);
      }
    }
  }

  @Test
  void countsBySource() {
    append(row("a", "default", "shop.orders", "OrderPlaced", T0));
    append(row("b", "default", "shop.orders", "OrderShipped", T0));
    append(row("c", "default", "shop.billing", "InvoiceSent", T0));

    List<CountSeries> series =
        store.counts(query(GroupBy.SOURCE, Interval.MINUTE, T0, T0.plusSeconds(60)));

    assertThat(series)
        .containsExactly(
            new CountSeries("shop.orders", 2, List.of(point("2026-11-26T10:00:00Z", 2))),
            new CountSeries("shop.billing", 1, List.of(point("2026-11-26T10:00:00Z", 1))));
  }

  @Test
  void aDeliveryKeyAlreadyStoredIsSkippedAndCountsOnce() {
    assertThat(append(row("same", "OrderPlaced", T0))).isTrue();
    assertThat(append(row("same", "OrderPlaced", T0))).isFalse();
    assertThat(reopen().append(row("same", "OrderPlaced", T0), CLOCK.instant().plusSeconds(30)))
        .isFalse();

    assertThat(store.counts(query(GroupBy.DETAIL_TYPE, Interval.MINUTE, T0, T0.plusSeconds(60))))
        .containsExactly(
            new CountSeries("OrderPlaced", 1, List.of(point("2026-11-26T10:00:00Z", 1))));
  }

  @Test
  void oneKeySubmittedManyTimesAtOnceCountsOnce() {
    List<CompletableFuture<Boolean>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(store.submit(row("dup", "OrderPlaced", T0)));
      futures.add(store.submit(row("other-" + i, "OrderPlaced", T0)));
    }

    List<Boolean> answers = futures.stream().map(CompletableFuture::join).toList();

    assertThat(answers.stream().filter(b -> b).count()).isEqualTo(51);
    assertThat(firstMinuteTotals()).containsExactly(51L);
  }

  @Test
  void aKeyOfAnOldEventRedeliveredAmongFreshRowsCountsOnce() {
    Instant hourAgo = T0.minus(Duration.ofHours(1));
    AnalyticsRow old = row("old", "OrderPlaced", hourAgo);
    for (int i = 0; i < 200; i++) { // fill row groups between the old row and the fresh ones
      append(row("between-" + i, "Filler", hourAgo.plusSeconds(10 + i)));
    }
    assertThat(append(old)).isTrue();

    List<CompletableFuture<Boolean>> futures = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      futures.add(store.submit(row("fresh-" + i, "OrderPlaced", T0.plusMillis(i))));
      futures.add(store.submit(old));
    }

    assertThat(futures.stream().map(CompletableFuture::join).filter(b -> b)).hasSize(20);
    assertThat(store.counts(query(GroupBy.DETAIL_TYPE, Interval.DAY, hourAgo, T0.plusSeconds(60))))
        .filteredOn(series -> series.key().equals("OrderPlaced"))
        .extracting(CountSeries::total)
        .containsExactly(21L);
  }

  @Test
  void aPurgeDeletesRawRowsAndKeysIngestedBeforeTheCutoffAndKeepsTheCounts() throws Exception {
    Instant monthAgo = T0.minus(Duration.ofDays(30));
    append(row("old-1", "T", monthAgo));
    append(row("old-2", "T", monthAgo.plusSeconds(1)));
    append(row("new-1", "T", T0));

    assertThat(store.purgeBefore(T0.minus(Duration.ofDays(1)))).isEqualTo(2);

    CountQuery all =
        query(
            GroupBy.DETAIL_TYPE,
            Interval.DAY,
            monthAgo.minus(Duration.ofDays(1)),
            T0.plusSeconds(60));
    assertThat(store.counts(all)).extracting(CountSeries::total).containsExactly(3L);
    assertThat(append(row("new-1", "T", T0))).as("a kept key").isFalse();
    assertThat(append(row("old-1", "T", monthAgo))).as("a purged key counts again").isTrue();
    store.close();
    try (Connection c = rawConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT (SELECT COUNT(*) FROM analytics_events),"
                    + " (SELECT COUNT(*) FROM analytics_delivery_keys)")) {
      assertThat(r.next()).isTrue();
      assertThat(List.of(r.getLong(1), r.getLong(2))).containsExactly(2L, 2L);
    }
  }

  @Test
  void hoursAndDaysAddUpTheirMinutesAlignedToUtc() {
    Instant day = Instant.parse("2026-11-26T00:00:00Z");
    append(row("a", "T", day.plus(Duration.ofMinutes(10))));
    append(row("b", "T", day.plus(Duration.ofMinutes(59))));
    append(row("c", "T", day.plus(Duration.ofMinutes(60))));
    append(row("d", "T", day.plus(Duration.ofHours(23).plusMinutes(59))));
    append(row("e", "T", day.plus(Duration.ofHours(24))));

    Instant to = day.plus(Duration.ofDays(2));
    assertThat(store.counts(query(GroupBy.DETAIL_TYPE, Interval.HOUR, day, to)).getFirst().points())
        .containsExactly(
            point("2026-11-26T00:00:00Z", 2),
            point("2026-11-26T01:00:00Z", 1),
            point("2026-11-26T23:00:00Z", 1),
            point("2026-11-27T00:00:00Z", 1));
    assertThat(store.counts(query(GroupBy.DETAIL_TYPE, Interval.DAY, day, to)).getFirst().points())
        .containsExactly(point("2026-11-26T00:00:00Z", 4), point("2026-11-27T00:00:00Z", 1));
  }

  @Test
  void aMinuteCountsWhenItsStartIsInTheRange() {
    append(row("a", "T", T0.plusSeconds(30))); // minute 10:00
    append(row("b", "T", T0.plusSeconds(90))); // minute 10:01
    append(row("c", "T", T0.plusSeconds(150))); // minute 10:02

    // 10:00:30 .. 10:02:00: only the minute starting at 10:01 starts inside
    List<CountSeries> series =
        store.counts(
            query(GroupBy.DETAIL_TYPE, Interval.MINUTE, T0.plusSeconds(30), T0.plusSeconds(120)));
    // a 1h interval is labelled with the hour's start although the range starts later
    List<CountSeries> hourly =
        store.counts(
            query(GroupBy.DETAIL_TYPE, Interval.HOUR, T0.plusSeconds(30), T0.plusSeconds(121)));

    assertThat(series.getFirst().points()).containsExactly(point("2026-11-26T10:01:00Z", 1));
    assertThat(hourly.getFirst().points()).containsExactly(point("2026-11-26T10:00:00Z", 2));
  }

  @Test
  void topKeepsTheKeysWithTheHighestTotalsTiesByKey() {
    String[] types = {"A", "B", "C", "D"};
    int[] counts = {1, 3, 2, 3};
    for (int t = 0; t < types.length; t++) {
      for (int i = 0; i < counts[t]; i++) {
        append(row(types[t] + i, types[t], T0.plusSeconds(i)));
      }
    }

    List<CountSeries> top2 =
        store.counts(
            new CountQuery(
                Optional.empty(), GroupBy.DETAIL_TYPE, Interval.MINUTE, T0, T0.plusSeconds(60), 2));

    assertThat(top2).extracting(CountSeries::key).containsExactly("B", "D");
  }

  @Test
  void aBusFilterCountsThatBusOnly() {
    append(row("a", "orders", "s", "T", T0));
    append(row("b", "orders", "s", "T", T0));
    append(row("c", "billing", "s", "T", T0));

    List<CountSeries> series =
        store.counts(
            new CountQuery(
                Optional.of("billing"),
                GroupBy.DETAIL_TYPE,
                Interval.MINUTE,
                T0,
                T0.plusSeconds(60),
                10));

    assertThat(series).extracting(CountSeries::total).containsExactly(1L);
  }

  @Test
  void anEmptyRangeHasNoSeries() {
    append(row("a", "T", T0));

    assertThat(
            store.counts(
                query(
                    GroupBy.DETAIL_TYPE, Interval.MINUTE, T0.plusSeconds(60), T0.plusSeconds(120))))
        .isEmpty();
  }

  @Test
  void rawEventsAreStoredWithTheirEnvelopeAndTimes() throws Exception {
    AnalyticsRow row = row("raw-1", "orders", "shop.orders", "OrderPlaced", T0.plusMillis(1234));
    append(row);
    store.close();

    try (Connection c = rawConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT delivery_key, event_id, bus, source, detail_type, event_time,"
                    + " ingested_at, delivered_at, CAST(envelope AS VARCHAR),"
                    + " (SELECT COUNT(*) FROM analytics_delivery_keys)"
                    + " FROM analytics_events")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo("raw-1");
      assertThat(r.getString(2)).isEqualTo(row.eventId());
      assertThat(r.getString(3)).isEqualTo("orders");
      assertThat(r.getString(4)).isEqualTo("shop.orders");
      assertThat(r.getString(5)).isEqualTo("OrderPlaced");
      assertThat(instant(r, 6)).isEqualTo(row.time());
      assertThat(instant(r, 7)).isEqualTo(row.ingestedAt());
      assertThat(instant(r, 8)).isEqualTo(row.deliveredAt());
      assertThat(r.getString(9)).isEqualTo(row.envelope());
      assertThat(r.getLong(10)).isEqualTo(1);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void rowsQueuedBeforeCloseAreCommitted() {
    List<CompletableFuture<Boolean>> futures =
        IntStream.range(0, 2000)
            .mapToObj(i -> store.submit(row("q" + i, "T", T0.plusMillis(i))))
            .toList();

    store.close();

    assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedWithValue(true));
    reopen();
    assertThat(firstMinuteTotals()).containsExactly(2000L);
  }

  @Test
  void callsAfterCloseFailAsClosed() {
    append(row("a", "T", T0));
    store.close();

    assertThatThrownBy(() -> append(row("b", "T", T0)))
        .isInstanceOf(AnalyticsClosedException.class);
    assertThatThrownBy(
            () -> store.counts(query(GroupBy.DETAIL_TYPE, Interval.MINUTE, T0, T0.plusSeconds(60))))
        .isInstanceOf(AnalyticsClosedException.class);
  }

  @Test
  void anAppendPastItsDeadlineFailsAsUnavailableYetTheRowMayStillCountOnce() {
    store.prepare();
    AnalyticsRow late = row("late", "T", T0);

    assertThatThrownBy(() -> store.append(late, CLOCK.instant().minusSeconds(1)))
        .isInstanceOf(AnalyticsUnavailableException.class);
    append(late);

    assertThat(firstMinuteTotals()).containsExactly(1L);
  }
}
