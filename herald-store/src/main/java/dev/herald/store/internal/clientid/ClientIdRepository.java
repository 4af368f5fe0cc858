package dev.herald.store.internal.clientid;

import dev.herald.store.ClientIdRecord;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.Sql;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code client_ids} table: producers' entry ids and the event ids stored for them, for the
 * dedupe window. Stateless apart from the {@link Database}; thread-safe as the database is.
 */
final class ClientIdRepository {
  private static final String FIND =
      "SELECT event_id FROM client_ids WHERE bus = ? AND client_id = ? AND recorded_at >= ?";

  /** A later record replaces the stored one; an earlier one leaves it alone. */
  private static final String UPSERT =
      "INSERT INTO client_ids (bus, client_id, event_id, recorded_at) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (bus, client_id) DO UPDATE"
          + " SET event_id = excluded.event_id, recorded_at = excluded.recorded_at"
          + " WHERE excluded.recorded_at > client_ids.recorded_at";

  private final Database db;

  ClientIdRepository(Database db) {
    this.db = db;
  }

  Optional<String> find(String bus, String clientId, Instant notBefore) throws SQLException {
    return db.read(
        c ->
            Sql.first(
                c,
                FIND,
                s -> {
                  s.setString(1, bus);
                  s.setString(2, clientId);
                  s.setLong(3, notBefore.toEpochMilli());
                },
                row -> row.getString(1)));
  }

  void remember(List<ClientIdRecord> records) throws SQLException {
    db.write(
        c -> {
          try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
            for (ClientIdRecord record : records) {
              upsert.setString(1, record.bus());
              upsert.setString(2, record.clientId());
              upsert.setString(3, record.eventId());
              upsert.setLong(4, record.recordedAt().toEpochMilli());
              upsert.addBatch();
            }
            upsert.executeBatch();
          }
          return null;
        });
  }

  int purgeBefore(Instant cutoff) throws SQLException {
    return db.write(
        c ->
            Sql.update(
                c,
                "DELETE FROM client_ids WHERE recorded_at < ?",
                s -> s.setLong(1, cutoff.toEpochMilli())));
  }
}
