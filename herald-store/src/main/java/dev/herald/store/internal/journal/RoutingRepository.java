package dev.herald.store.internal.journal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import dev.herald.store.DeliveryStatus;
import dev.herald.store.RoutedDelivery;
import dev.herald.store.Routing;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.JsonText;
import dev.herald.store.internal.db.Sql;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code routings} table: what the router did with each event. On the routing hot path, so a
 * call is one statement batch in one write (on SQLite, one task of the batching writer, sharing its
 * transaction with other writes), and the JSON is rendered on the caller's thread before the write
 * is handed over. Stateless apart from the {@link Database}; thread-safe as it is.
 */
final class RoutingRepository {
  /** Rows deleted per transaction by a purge, so that it never holds the writer for long. */
  static final int PURGE_CHUNK = 5_000;

  private static final String UPDATES =
      " DO UPDATE SET bus = excluded.bus,"
          + " routed_at = excluded.routed_at, deliveries = excluded.deliveries";
  private static final String PURGE =
      "DELETE FROM %1$s WHERE event_id IN"
          + " (SELECT event_id FROM %1$s WHERE routed_at < ? LIMIT ?)";
  private static final String SELECT = "SELECT event_id, bus, routed_at, deliveries FROM routings";

  private final Database db;

  /**
   * True on PostgreSQL, where the table is partitioned by the ingestion day of the event (V7): the
   * day is written with each routing, conflicts are on (event id, day), and a read by event id
   * looks in its day's partition only.
   */
  private final boolean partitioned;

  private final String upsertSql;

  RoutingRepository(Database db) {
    this.db = db;
    this.partitioned = db.kind().equals("postgresql");
    this.upsertSql =
        partitioned
            ? "INSERT INTO routings (event_id, bus, routed_at, deliveries, ingest_day)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id, ingest_day)"
                + UPDATES
            : "INSERT INTO routings (event_id, bus, routed_at, deliveries) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (event_id)"
                + UPDATES;
  }

  /**
   * Upserts the routings by event id. Within one call the last routing of an event id wins (and is
   * the only one sent, so that no statement of the batch touches a row twice).
   */
  void record(List<Routing> routings) throws SQLException {
    List<Row> rows = rows(routings);
    db.write(
        c -> {
          recordIn(c, rows);
          return null;
        });
  }

  /** A routing as it is written. */
  record Row(String eventId, String bus, long routedAt, String deliveries) {}

  /**
   * The rows to write, the last routing of each event id, rendered on the caller's thread (off
   * SQLite's writer thread).
   */
  static List<Row> rows(List<Routing> routings) {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (Routing r : routings) {
      rows.put(
          r.eventId(),
          new Row(r.eventId(), r.bus(), r.routedAt().toEpochMilli(), json(r.deliveries())));
    }
    return List.copyOf(rows.values());
  }

  /** Upserts the rows within the caller's write transaction on {@code c}. */
  void recordIn(Connection c, List<Row> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement upsert = c.prepareStatement(upsertSql)) {
      for (Row row : rows) {
        upsert.setString(1, row.eventId());
        upsert.setString(2, row.bus());
        upsert.setLong(3, row.routedAt());
        upsert.setString(4, row.deliveries());
        if (partitioned) {
          upsert.setObject(5, IngestDays.of(row.eventId()));
        }
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  Optional<Routing> byEventId(String eventId) throws SQLException {
    String sql = SELECT + " WHERE event_id = ?" + (partitioned ? " AND ingest_day = ?" : "");
    return db.read(
        c ->
            Sql.first(
                c,
                sql,
                s -> {
                  s.setString(1, eventId);
                  if (partitioned) {
                    s.setObject(2, IngestDays.of(eventId));
                  }
                },
                RoutingRepository::toRouting));
  }

  /** Deletes routings routed before {@code cutoff}, in chunks of {@link #PURGE_CHUNK} rows. */
  int purgeBefore(Instant cutoff) throws SQLException {
    return purge("routings", cutoff);
  }

  /**
   * As {@link #purgeBefore}, in the DEFAULT partition only (PostgreSQL): the routings of days
   * without a partition of their own, which retention cannot drop whole.
   */
  int purgeDefaultBefore(Instant cutoff) throws SQLException {
    return purge("routings_default", cutoff);
  }

  private int purge(String table, Instant cutoff) throws SQLException {
    long millis = cutoff.toEpochMilli();
    return Sql.deleteInChunks(
        db,
        PURGE.formatted(table),
        PURGE_CHUNK,
        s -> {
          s.setLong(1, millis);
          s.setInt(2, PURGE_CHUNK);
        });
  }

  private static DeliveryStatus status(String text, String eventId) throws SQLException {
    return DeliveryStatus.fromText(text)
        .orElseThrow(
            () ->
                new SQLException(
                    "routing of " + eventId + " has an unknown status '" + text + "'"));
  }

  private static Routing toRouting(ResultSet row) throws SQLException {
    String eventId = row.getString("event_id");
    List<RoutedDelivery> deliveries = new ArrayList<>();
    for (JsonNode d : JsonText.read(row.getString("deliveries"), "routing of " + eventId)) {
      deliveries.add(
          new RoutedDelivery(
              d.path("rule").asText(),
              d.path("target").asText(),
              d.path("deliveryKey").asText(),
              status(d.path("status").asText(), eventId),
              Optional.ofNullable(d.get("errorCode")).map(JsonNode::asText),
              Optional.ofNullable(d.get("errorMessage")).map(JsonNode::asText)));
    }
    return new Routing(
        eventId, row.getString("bus"), Instant.ofEpochMilli(row.getLong("routed_at")), deliveries);
  }

  /** {@code [{rule, target, deliveryKey, status, errorCode?, errorMessage?}]}. */
  static String json(List<RoutedDelivery> deliveries) {
    StringWriter out = new StringWriter(32 + 160 * deliveries.size());
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      g.writeStartArray();
      for (RoutedDelivery d : deliveries) {
        g.writeStartObject();
        g.writeStringField("rule", d.rule());
        g.writeStringField("target", d.target());
        g.writeStringField("deliveryKey", d.deliveryKey());
        g.writeStringField("status", d.status().text());
        if (d.errorCode().isPresent()) {
          g.writeStringField("errorCode", d.errorCode().get());
        }
        if (d.errorMessage().isPresent()) {
          g.writeStringField("errorMessage", d.errorMessage().get());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render the deliveries of a routing", e);
    }
    return out.toString();
  }
}
