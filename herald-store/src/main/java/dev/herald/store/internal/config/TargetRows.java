package dev.herald.store.internal.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.Secrets;
import dev.herald.core.config.TargetSpec;
import dev.herald.core.config.TargetTypes;
import dev.herald.core.secret.SecretBox;
import dev.herald.store.Stored;
import dev.herald.store.UnreadableSecretsException;
import dev.herald.store.internal.db.JsonText;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a {@link TargetSpec} into a row of {@code targets} and back, sealing its secrets on the way
 * in and opening them on the way out: the {@code settings} column holds the settings with each
 * secret replaced by {@code "***"}, the {@code secrets} column holds {@code {pointer: value}} of
 * the secrets sealed with the store's {@link SecretBox} for the purpose {@code "target:<name>"}.
 *
 * <p>Thread-safe: holds only the thread-safe secret box.
 */
final class TargetRows {
  /** The columns a spec fills, in the order {@link #bind} binds them. */
  static final String VALUE_COLUMNS =
      "type, settings, secrets, enabled, timeout_ms, retry_max_attempts,"
          + " retry_max_event_age_seconds, backoff_initial_ms, backoff_multiplier, backoff_max_ms,"
          + " concurrency_max, rate_limit_per_second, circuit_enabled, circuit_failure_rate_percent,"
          + " circuit_minimum_attempts, circuit_open_seconds, ordered";

  /** How many parameters {@link #bind} sets. */
  static final int VALUE_COUNT = 17;

  static final String COLUMNS =
      "name, " + VALUE_COLUMNS + ", version, created_at, updated_at, changed_by";

  private final SecretBox box;

  /** The stored form of a spec's settings: masked settings, and the sealed secrets if any. */
  record Sealed(String settings, Optional<String> secrets) {}

  TargetRows(SecretBox box) {
    this.box = box;
  }

  static String purpose(String name) {
    return "target:" + name;
  }

  /** Splits the secrets out of the settings and seals them. */
  Sealed seal(TargetSpec spec) {
    ObjectNode secrets =
        Secrets.extract(
            spec.settings(), TargetTypes.secretPaths(spec.type(), spec.settings())); // present ones
    if (secrets.isEmpty()) {
      return new Sealed(spec.settings().toString(), Optional.empty());
    }
    List<String> present = new ArrayList<>();
    secrets.fieldNames().forEachRemaining(present::add);
    String masked = Secrets.mask(spec.settings(), present).toString();
    return new Sealed(masked, Optional.of(box.seal(secrets.toString(), purpose(spec.name()))));
  }

  /** Binds {@link #VALUE_COLUMNS} as parameters 1 to {@link #VALUE_COUNT}. */
  static void bind(PreparedStatement s, TargetSpec spec, Sealed sealed) throws SQLException {
    s.setString(1, spec.type());
    s.setString(2, sealed.settings());
    s.setString(3, sealed.secrets().orElse(null));
    s.setBoolean(4, spec.enabled());
    s.setInt(5, spec.timeoutMs());
    s.setInt(6, spec.retry().maxAttempts());
    s.setLong(7, spec.retry().maxEventAgeSeconds());
    s.setLong(8, spec.retry().initialBackoffMs());
    s.setDouble(9, spec.retry().multiplier());
    s.setLong(10, spec.retry().maxBackoffMs());
    s.setInt(11, spec.concurrencyMax());
    if (spec.rateLimitPerSecond().isPresent()) {
      s.setDouble(12, spec.rateLimitPerSecond().get());
    } else {
      s.setNull(12, Types.DOUBLE);
    }
    s.setBoolean(13, spec.circuit().enabled());
    s.setInt(14, spec.circuit().failureRatePercent());
    s.setInt(15, spec.circuit().minimumAttempts());
    s.setInt(16, spec.circuit().openSeconds());
    s.setBoolean(17, spec.ordered());
  }

  /** Reads a row of {@link #COLUMNS}, secrets merged back in clear. */
  Stored<TargetSpec> map(ResultSet row) throws SQLException {
    String name = row.getString("name");
    TargetSpec spec =
        new TargetSpec(
            name,
            row.getString("type"),
            settings(name, row.getString("settings"), row.getString("secrets")),
            row.getBoolean("enabled"),
            row.getInt("timeout_ms"),
            new TargetSpec.RetryPolicy(
                row.getInt("retry_max_attempts"),
                row.getLong("retry_max_event_age_seconds"),
                row.getLong("backoff_initial_ms"),
                row.getDouble("backoff_multiplier"),
                row.getLong("backoff_max_ms")),
            row.getInt("concurrency_max"),
            rateLimit(row),
            new TargetSpec.CircuitPolicy(
                row.getBoolean("circuit_enabled"),
                row.getInt("circuit_failure_rate_percent"),
                row.getInt("circuit_minimum_attempts"),
                row.getInt("circuit_open_seconds")),
            row.getBoolean("ordered"));
    return new Stored<>(
        spec,
        row.getLong("version"),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")),
        Optional.ofNullable(row.getString("changed_by")));
  }

  private ObjectNode settings(String name, String masked, String sealed) throws SQLException {
    ObjectNode settings = JsonText.object(masked, "settings of target '" + name + "'");
    if (sealed == null) {
      return settings;
    }
    String secrets;
    try {
      secrets = box.open(sealed, purpose(name));
    } catch (IllegalArgumentException e) {
      throw new UnreadableSecretsException(
          "the stored secrets of target '"
              + name
              + "' cannot be decrypted with the store's secret key: the key (HERALD_SECRET_KEY or"
              + " the key file) is not the one they were stored with, or the stored value was"
              + " altered",
          e);
    }
    return Secrets.merge(settings, JsonText.object(secrets, "secrets of target '" + name + "'"));
  }

  private static Optional<Double> rateLimit(ResultSet row) throws SQLException {
    double rate = row.getDouble("rate_limit_per_second");
    return row.wasNull() ? Optional.empty() : Optional.of(rate);
  }
}
