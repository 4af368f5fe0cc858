package dev.herald.store.internal.key;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.core.auth.Scope;
import dev.herald.core.json.Json;
import dev.herald.core.secret.SecretBox;
import dev.herald.store.ApiKey;
import dev.herald.store.ApiKeyStore;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code api_keys} table: secrets sealed with the store's {@link SecretBox} for the purpose
 * {@code "api-key:<id>"}, scopes as a JSON array. Stateless apart from its collaborators;
 * thread-safe as the {@link Database} is.
 */
final class KeyRepository {
  private static final String COLUMNS =
      "id, name, scopes, secret, created_at, updated_at, last_used_at, changed_by";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM api_keys";
  private static final String UPSERT =
      "INSERT INTO api_keys ("
          + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, NULL, ?) ON CONFLICT (id) DO UPDATE SET"
          + " name = excluded.name, scopes = excluded.scopes, secret = excluded.secret,"
          + " updated_at = excluded.updated_at, changed_by = excluded.changed_by";
  private static final String TOUCH =
      "UPDATE api_keys SET last_used_at = ? WHERE id = ?"
          + " AND (last_used_at IS NULL OR last_used_at < ?)";

  private final Database db;
  private final InstantSource clock;
  private final SecretBox box;

  KeyRepository(Database db, InstantSource clock, SecretBox box) {
    this.db = db;
    this.clock = clock;
    this.box = box;
  }

  ApiKey put(ApiKeyStore.KeyWrite key) throws SQLException {
    String id = key.token().id();
    String sealed = box.seal(key.token().secret(), purpose(id)); // before the write
    String scopes = scopesJson(key.scopes());
    long now = clock.millis();
    return db.write(
        c -> {
          Sql.update(
              c,
              UPSERT,
              s -> {
                s.setString(1, id);
                s.setString(2, key.name());
                s.setString(3, scopes);
                s.setString(4, sealed);
                s.setLong(5, now);
                s.setLong(6, now);
                s.setString(7, key.changedBy().orElse(null));
              });
          return Sql.first(c, SELECT + " WHERE id = ?", s -> s.setString(1, id), this::map)
              .orElseThrow(() -> new SQLException("key " + id + " missing after write"));
        });
  }

  Optional<ApiKey> byId(String id) throws SQLException {
    return db.read(c -> Sql.first(c, SELECT + " WHERE id = ?", s -> s.setString(1, id), this::map));
  }

  List<ApiKey> all() throws SQLException {
    return db.read(c -> Sql.list(c, SELECT + " ORDER BY id", Sql.none(), this::map));
  }

  boolean delete(String id) throws SQLException {
    return db.write(
            c -> Sql.update(c, "DELETE FROM api_keys WHERE id = ?", s -> s.setString(1, id)))
        > 0;
  }

  void touch(Map<String, Instant> lastUsed) throws SQLException {
    List<Map.Entry<String, Instant>> entries = List.copyOf(lastUsed.entrySet());
    db.write(
        c -> {
          for (Map.Entry<String, Instant> e : entries) {
            long at = e.getValue().toEpochMilli();
            Sql.update(
                c,
                TOUCH,
                s -> {
                  s.setLong(1, at);
                  s.setString(2, e.getKey());
                  s.setLong(3, at);
                });
          }
          return null;
        });
  }

  private ApiKey map(ResultSet row) throws SQLException {
    String id = row.getString("id");
    long lastUsed = row.getLong("last_used_at");
    Optional<Instant> lastUsedAt =
        row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastUsed));
    String secret;
    try {
      secret = box.open(row.getString("secret"), purpose(id));
    } catch (IllegalArgumentException e) {
      throw new dev.herald.store.UnreadableSecretsException(
          "the secret of API key '" + id + "' cannot be read: " + e.getMessage(), e);
    }
    return new ApiKey(
        id,
        row.getString("name"),
        scopes(row.getString("scopes")),
        secret,
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")),
        lastUsedAt,
        Optional.ofNullable(row.getString("changed_by")));
  }

  private static String scopesJson(List<Scope> scopes) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    scopes.forEach(s -> array.add(s.toString()));
    return array.toString();
  }

  private static List<Scope> scopes(String json) throws SQLException {
    try {
      List<Scope> scopes = new ArrayList<>();
      for (JsonNode node : Json.MAPPER.readTree(json)) {
        scopes.add(Scope.parse(node.asText()));
      }
      return scopes;
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new SQLException("unreadable scopes " + json + ": " + e.getMessage(), e);
    }
  }

  private static String purpose(String id) {
    return "api-key:" + id;
  }
}
